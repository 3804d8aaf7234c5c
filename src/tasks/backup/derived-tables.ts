import type pg from 'pg';
import { withClient } from '../db/connect.js';
import type { DatabaseSettings } from '../instance/types.js';

/**
 * CATMAID's materialized tables: each derived row by row from a source table and kept current by triggers, so a
 * backup may leave their rows out (keeping their definitions) and a restore rebuilds them. One row per source
 * row: an edge per treenode (a root's edge goes to itself), an edge per treenode–connector link, a point per
 * connector.
 */
export interface DerivedTable {
  table: string;
  source: string;
}

export const DERIVED_TABLES: readonly DerivedTable[] = [
  { table: 'treenode_edge', source: 'treenode' },
  { table: 'treenode_connector_edge', source: 'treenode_connector' },
  { table: 'connector_geom', source: 'connector' },
];

/**
 * Newer releases' summaries and caches, also derived from the tracing data: a backup leaves their rows out too,
 * and `manage.py catmaid_rebuild_all_materializations` fills them again (catmaid-tui's SQL rebuild does not: their
 * contents are CATMAID's own business).
 */
export const SUMMARY_TABLES: readonly string[] = ['catmaid_stats_summary', 'node_query_cache', 'catmaid_skeleton_summary'];

/** Every table whose rows a backup leaves out by default (those that exist), definitions kept. */
export async function excludedByDefault(client: pg.Client): Promise<string[]> {
  const all = [...DERIVED_TABLES.map((d) => d.table), ...SUMMARY_TABLES];
  const present = await presentTables(client, all);
  return all.filter((table) => present.has(table));
}

/** Which of `tables` exist in the public schema (older CATMAID releases lack some). */
export async function presentTables(client: pg.Client, tables: readonly string[]): Promise<Set<string>> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass('public.' || quote_ident(name)) IS NOT NULL`,
    [tables],
  );
  return new Set(rows.map((r) => r.name));
}

/** The derived tables that exist here (and whose source exists). */
export async function presentDerivedTables(client: pg.Client): Promise<DerivedTable[]> {
  const present = await presentTables(client, DERIVED_TABLES.flatMap((d) => [d.table, d.source]));
  return DERIVED_TABLES.filter((d) => present.has(d.table) && present.has(d.source));
}

const quote = (name: string): string => `public."${name.replace(/"/g, '""')}"`;

/**
 * Derived tables left empty while their source has rows: what a restore leaves when it was cut off after its
 * data committed and before the rebuild. Two EXISTS per table, cheap enough for Home's minute.
 */
export async function emptyDerivedTables(client: pg.Client): Promise<string[]> {
  const tables = await presentDerivedTables(client);
  if (tables.length === 0) return [];
  const checks = tables.map((d, i) => `(EXISTS (SELECT 1 FROM ${quote(d.source)}) AND NOT EXISTS (SELECT 1 FROM ${quote(d.table)})) AS e${i}`);
  const row = (await client.query<Record<string, boolean>>(`SELECT ${checks.join(', ')}`)).rows[0];
  return tables.filter((_, i) => row[`e${i}`]).map((d) => d.table);
}

/**
 * The same on a connection of its own, never waiting long behind a lock (an idle-in-transaction client must not
 * hold up a backup or Home): what cannot be read within two seconds counts as not empty.
 */
export async function emptyDerivedTablesOf(db: DatabaseSettings): Promise<string[]> {
  return withClient(db, async (client) => {
    await client.query("SET lock_timeout = '2s'");
    return emptyDerivedTables(client).catch((err: { code?: string }) => {
      if (err.code === '55P03') return [];
      throw err;
    });
  });
}

/** The command that rebuilds them alone. */
export const REBUILD_COMMAND = 'catmaid-tui restore --rebuild-derived';

/**
 * "edge tables empty: rebuild": the one line `info`, Home, `backup` and `restore` say about what an interrupted
 * restore leaves.
 */
export function emptyDerivedLine(tables: readonly string[]): string {
  return `edge tables empty: rebuild (${tables.join(', ')} ${tables.length === 1 ? 'has' : 'have'} no rows)`;
}
