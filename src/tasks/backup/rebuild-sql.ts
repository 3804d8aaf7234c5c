import type pg from 'pg';
import type { TaskLog } from '../task-log.js';
import { presentDerivedTables } from './derived-tables.js';

const point = (alias: string): string => `ST_MakePoint(${alias}.location_x, ${alias}.location_y, ${alias}.location_z)`;

/**
 * What CATMAID's catmaid_rebuild_edge_table computes, as plain SQL (PostGIS functions, no Python): one edge per
 * treenode from the node to its parent (a root's edge goes to itself), one per treenode–connector link from the
 * node to the connector, one point per connector.
 */
export const FILL_SQL: Record<string, string> = {
  treenode_edge: `INSERT INTO treenode_edge (id, parent_id, project_id, edge)
    SELECT t.id, t.parent_id, t.project_id, ST_MakeLine(${point('t')}, ${point('p')})
    FROM treenode t JOIN treenode p ON p.id = COALESCE(t.parent_id, t.id)`,
  treenode_connector_edge: `INSERT INTO treenode_connector_edge (id, project_id, edge)
    SELECT tc.id, tc.project_id, ST_MakeLine(${point('t')}, ${point('c')})
    FROM treenode_connector tc JOIN treenode t ON t.id = tc.treenode_id JOIN connector c ON c.id = tc.connector_id`,
  connector_geom: `INSERT INTO connector_geom (id, project_id, geom)
    SELECT c.id, c.project_id, ${point('c')} FROM connector c`,
};

/** The table's indexes no constraint needs (the GiST and project ones): built again over the filled table. */
const SECONDARY_INDEXES = `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition FROM pg_index
  WHERE indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)`;

/**
 * Its primary key and unique constraints that no foreign key leans on: dropped too, and added again over the filled
 * table (rows inserted in the join's order into a unique btree take twice as long as the fill itself).
 */
const KEY_CONSTRAINTS = `SELECT quote_ident(c.conname) AS name, pg_get_constraintdef(c.oid) AS definition FROM pg_constraint c
  WHERE c.conrelid = $1::regclass AND c.contype IN ('p', 'u')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)`;

/**
 * A plain GiST index is built with buffering on, then the option is reset: the definition is CATMAID's again, and
 * the build of treenode_edge's 3-D index on the large sandbox took 12.7–14.0 s instead of 18.0–24.5 s (auto
 * buffering stays off while the index fits in effective_cache_size). Any other definition is used as it is.
 */
export function indexBuild(name: string, definition: string): string[] {
  if (!/^CREATE INDEX \S+ ON \S+ USING gist \([^()]*\)$/.test(definition)) return [definition];
  return [`${definition} WITH (buffering = on)`, `ALTER INDEX ${name} RESET (buffering)`];
}

/**
 * Empty and refill the derived tables in one transaction. Their secondary indexes and keys are dropped first and
 * built over the full tables (a GiST index grown row by row takes several times as long), as pg_restore does. The
 * search_path names PostGIS's schema: the functions are found whatever the role's own search_path says.
 */
export async function rebuildSql(client: pg.Client, log?: TaskLog): Promise<void> {
  await client.query('BEGIN');
  try {
    const tables = (await presentDerivedTables(client)).map((d) => d.table).filter((t) => FILL_SQL[t]);
    const schema = (await client.query<{ schema: string | null }>(
      `SELECT (SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'postgis') AS schema`,
    )).rows[0].schema;
    await client.query(`SELECT set_config('search_path', $1, true)`, [[...new Set(['public', schema ?? 'public'])].join(', ')]);
    await client.query("SET LOCAL work_mem = '256MB'");
    await client.query("SET LOCAL maintenance_work_mem = '512MB'");
    if (tables.length) await client.query(`TRUNCATE ${tables.join(', ')}`);
    for (const table of tables) {
      const keys = (await client.query<{ name: string; definition: string }>(KEY_CONSTRAINTS, [table])).rows;
      const indexes = (await client.query<{ name: string; definition: string }>(SECONDARY_INDEXES, [table])).rows;
      for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
      for (const key of keys) await client.query(`ALTER TABLE ${table} DROP CONSTRAINT ${key.name}`);
      const filled = await client.query(FILL_SQL[table]);
      log?.line(`${table}: ${filled.rowCount} rows`);
      for (const key of keys) await client.query(`ALTER TABLE ${table} ADD CONSTRAINT ${key.name} ${key.definition}`);
      for (const index of indexes) for (const sql of indexBuild(index.name, index.definition)) await client.query(sql);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
