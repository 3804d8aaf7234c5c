import pg from 'pg';
import { clientConfig, withClient } from '../db/connect.js';
import type { DatabaseSettings } from '../instance/types.js';
import { DERIVED_TABLES, presentTables } from './derived-tables.js';
import type { ContentsMethod, TableContents } from './manifest.js';

/**
 * The tables whose rows a restore test compares one by one: the tracing data and what it hangs on. The derived
 * tables are compared by their row counts only: they are rebuilt, not restored.
 */
export const CORE_TABLES = ['auth_user', 'project', 'class', 'relation', 'class_instance', 'treenode', 'connector', 'treenode_connector'];

/**
 * Row text must not depend on the session: dates, intervals, floats and bytea printed the same way in the database
 * that was dumped and in the one the dump was restored into.
 */
const STABLE_TEXT = `SET LOCAL datestyle = 'ISO, YMD'; SET LOCAL intervalstyle = 'postgres'; SET LOCAL timezone = 'UTC';
  SET LOCAL extra_float_digits = 1; SET LOCAL bytea_output = 'hex'`;

const quote = (name: string): string => `public."${name.replace(/"/g, '""')}"`;

/**
 * Each row's 64-bit hash, summed: no ordering and no memory beyond one row, and a single changed value changes it.
 * v2 hashes the values themselves (hash_record_extended, PostgreSQL 14+: no text, the same whatever the session's
 * settings), about five times as fast as v1, which sums the first 64 bits of the md5 of each row's text and is
 * kept for PostgreSQL 13, for a column type without an extended hash, and for manifests written with it.
 */
const ROW_HASH: Record<ContentsMethod, string> = {
  'row-hash-sum-v2': 'hash_record_extended(t, 0)',
  'row-md5-sum-v1': "('x' || substr(md5(t::text), 1, 16))::bit(64)::bigint",
};

async function measureWith(client: pg.Client, method: ContentsMethod, present: Set<string>): Promise<TableContents> {
  const tables: TableContents['tables'] = {};
  for (const table of CORE_TABLES.filter((t) => present.has(t))) {
    const { rows } = await client.query<{ rows: string; checksum: string }>(
      `SELECT count(*) AS rows, coalesce(sum(${ROW_HASH[method]}::numeric), 0)::text AS checksum FROM ONLY ${quote(table)} AS t`,
    );
    tables[table] = { rows: Number(rows[0].rows), checksum: rows[0].checksum };
  }
  for (const table of DERIVED_TABLES.map((d) => d.table).filter((t) => present.has(t))) {
    const { rows } = await client.query<{ rows: string }>(`SELECT count(*) AS rows FROM ONLY ${quote(table)}`);
    tables[table] = { rows: Number(rows[0].rows), checksum: '' };
  }
  return { method, tables };
}

/**
 * Rows and a checksum per table, inside the caller's transaction, with `method` (a restore test: the manifest's) or
 * the fastest one this server has. `ONLY`: treenode and connector inherit from location, whose own rows are none.
 */
export async function measureContents(client: pg.Client, method?: ContentsMethod): Promise<TableContents> {
  const present = await presentTables(client, [...CORE_TABLES, ...DERIVED_TABLES.map((d) => d.table)]);
  if (method) return measureWith(client, method, present);
  const version = Number((await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0].v);
  if (version < 140000) return measureWith(client, 'row-md5-sum-v1', present);
  await client.query('SAVEPOINT contents');
  try {
    const contents = await measureWith(client, 'row-hash-sum-v2', present);
    await client.query('RELEASE SAVEPOINT contents');
    return contents;
  } catch (err) {
    // "could not identify a hash function for type …": a column type (an extension's) with no extended hash.
    if ((err as { code?: string }).code !== '42883') throw err;
    await client.query('ROLLBACK TO SAVEPOINT contents');
    return measureWith(client, 'row-md5-sum-v1', present);
  }
}

/** Measure a database as it is now (a restored copy), in one read-only transaction. */
export async function contentsOf(db: DatabaseSettings, method?: ContentsMethod): Promise<TableContents> {
  const client = new pg.Client(clientConfig(db));
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ${STABLE_TEXT}`);
    return await measureContents(client, method);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A snapshot of the database that pg_dump dumps (`--snapshot`) and that is measured in the same transaction, so
 * the manifest's row counts and checksums are exactly the dump's, however busy the database is meanwhile. The
 * transaction stays open until `close`, after pg_dump has finished.
 */
export class ContentSnapshot {
  private constructor(
    private readonly client: pg.Client,
    private readonly db: DatabaseSettings,
    private readonly backendPid: number,
    readonly id: string,
  ) {}

  static async open(db: DatabaseSettings): Promise<ContentSnapshot> {
    const client = new pg.Client(clientConfig(db, { application_name: 'catmaid-tui backup snapshot' }));
    client.on('error', () => undefined);
    await client.connect();
    try {
      await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ${STABLE_TEXT}`);
      const { rows } = await client.query<{ id: string; pid: number }>('SELECT pg_export_snapshot() AS id, pg_backend_pid() AS pid');
      return new ContentSnapshot(client, db, rows[0].pid, rows[0].id);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
  }

  measure(): Promise<TableContents> {
    return measureContents(this.client);
  }

  async close(): Promise<void> {
    await this.client.query('ROLLBACK').catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }

  /**
   * Close while a count may still run: one waiting for a lock (a client holding treenode) would keep this session,
   * and an interrupted backup with it, waiting until the lock came free. Cancel it first, from a session of its own.
   */
  async abandon(): Promise<void> {
    await withClient(this.db, (other) => other.query('SELECT pg_cancel_backend($1)', [this.backendPid])).catch(() => undefined);
    await this.close();
  }
}

/** What differs between the manifest's contents and a restored database's, one phrase per table. */
export function contentDifferences(expected: TableContents, actual: TableContents): string[] {
  const differences: string[] = [];
  for (const [table, want] of Object.entries(expected.tables)) {
    const got = actual.tables[table];
    if (!got) differences.push(`${table}: missing after the restore`);
    else if (got.rows !== want.rows) differences.push(`${table}: ${got.rows} rows instead of ${want.rows}`);
    else if (got.checksum !== want.checksum) differences.push(`${table}: checksum differs (same ${want.rows} rows, changed contents)`);
  }
  return differences;
}
