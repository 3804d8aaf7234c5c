import { withClient } from '../db/connect.js';
import type { DatabaseSettings } from '../instance/types.js';

/**
 * Tables, views and sequences of the database's ordinary schemas, taken before an update. A plain dump restored
 * with --clean drops only what it holds, so what a half-done migration created survives the restore, and the next
 * try of the update fails on "relation already exists". The rollback drops what is new since the update started.
 */
export interface Relation {
  schema: string;
  name: string;
  kind: 'table' | 'view' | 'materialized view' | 'sequence';
}

const KIND: Record<string, Relation['kind']> = { r: 'table', p: 'table', v: 'view', m: 'materialized view', S: 'sequence' };

const LIST = `SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND NOT c.relispartition
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
  ORDER BY 1, 2`;

export async function listRelations(db: DatabaseSettings): Promise<Relation[]> {
  return withClient(db, async (client) => {
    const rows = (await client.query<{ schema: string; name: string; kind: string }>(LIST)).rows;
    return rows.map((row) => ({ schema: row.schema, name: row.name, kind: KIND[row.kind] }));
  });
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const keyOf = (r: Pick<Relation, 'schema' | 'name'>): string => `${r.schema}.${r.name}`;

/** Drop the relations that were not there before; returns their names. Sequences owned by a dropped table go with it. */
export async function dropNewRelations(db: DatabaseSettings, before: Pick<Relation, 'schema' | 'name'>[]): Promise<string[]> {
  const known = new Set(before.map(keyOf));
  const extra = (await listRelations(db)).filter((r) => !known.has(keyOf(r)));
  if (extra.length === 0) return [];
  await withClient(db, async (client) => {
    await client.query('BEGIN');
    for (const r of extra) {
      await client.query(`DROP ${r.kind.toUpperCase()} IF EXISTS ${ident(r.schema)}.${ident(r.name)} CASCADE`);
    }
    await client.query('COMMIT');
  });
  return extra.map(keyOf);
}
