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
 * Empty and refill the derived tables in one transaction. Their secondary indexes are dropped first and built
 * over the full tables (a GiST index grown row by row takes several times as long), as pg_restore does. The
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
      const indexes = (await client.query<{ name: string; definition: string }>(SECONDARY_INDEXES, [table])).rows;
      for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
      const filled = await client.query(FILL_SQL[table]);
      log?.line(`${table}: ${filled.rowCount} rows`);
      for (const index of indexes) await client.query(index.definition);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
