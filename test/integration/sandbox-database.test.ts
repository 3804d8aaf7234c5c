import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managePy } from '../../src/sandbox/index.js';
import { seedSql } from '../../src/sandbox/seed.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/**
 * The sandbox's database has the shape of a production CATMAID's: extensions owned by the superuser, a CATMAID
 * role that is no superuser and owns everything else, location inherited by treenode and connector, and three
 * derived tables that triggers keep current for whatever the role does.
 */
let sb: TestSandbox;
let role: pg.Client;

const settingsOf = (root: string): string => fs.readFileSync(path.join(root, 'django/projects/mysite/settings.py'), 'utf8');
const setting = (root: string, key: string): string => new RegExp(`'${key}': '([^']*)'`).exec(settingsOf(root))?.[1] ?? '';

/** As the role, with the credentials settings.py holds (as CATMAID itself connects). */
async function connectAsRole(root: string): Promise<pg.Client> {
  const client = new pg.Client({
    host: setting(root, 'HOST'), port: Number(setting(root, 'PORT')), database: setting(root, 'NAME'),
    user: setting(root, 'USER'), password: setting(root, 'PASSWORD'),
  });
  await client.connect();
  return client;
}

const one = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T> =>
  (await role.query(sql, params)).rows[0] as T;
const count = async (sql: string): Promise<number> => Number((await one<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`)).n);

/** Rows of each derived table that differ from what the tracing data says (missing, extra or wrong geometry). */
const DRIFT_SQL = `
WITH node_edge AS (
  SELECT t.id, t.parent_id, t.project_id, ST_MakeLine(ST_MakePoint(t.location_x, t.location_y, t.location_z),
         ST_MakePoint(p.location_x, p.location_y, p.location_z)) AS edge
  FROM treenode t JOIN treenode p ON p.id = COALESCE(t.parent_id, t.id)
), link_edge AS (
  SELECT tc.id, tc.project_id, ST_MakeLine(ST_MakePoint(t.location_x, t.location_y, t.location_z),
         ST_MakePoint(c.location_x, c.location_y, c.location_z)) AS edge
  FROM treenode_connector tc JOIN treenode t ON t.id = tc.treenode_id JOIN connector c ON c.id = tc.connector_id
), point AS (
  SELECT id, project_id, ST_MakePoint(location_x, location_y, location_z) AS geom FROM connector
)
SELECT
  (SELECT count(*) FROM node_edge x FULL JOIN treenode_edge e USING (id)
    WHERE x.id IS NULL OR e.id IS NULL OR e.parent_id IS DISTINCT FROM x.parent_id
       OR e.project_id <> x.project_id OR NOT ST_OrderingEquals(e.edge, x.edge))::int AS treenode_edge,
  (SELECT count(*) FROM link_edge x FULL JOIN treenode_connector_edge e USING (id)
    WHERE x.id IS NULL OR e.id IS NULL OR e.project_id <> x.project_id OR NOT ST_OrderingEquals(e.edge, x.edge))::int
    AS treenode_connector_edge,
  (SELECT count(*) FROM point x FULL JOIN connector_geom g USING (id)
    WHERE x.id IS NULL OR g.id IS NULL OR g.project_id <> x.project_id OR NOT ST_OrderingEquals(g.geom, x.geom))::int
    AS connector_geom`;
const NO_DRIFT = { treenode_edge: 0, treenode_connector_edge: 0, connector_geom: 0 };

beforeAll(async () => {
  sb = await createTestSandbox();
  role = await connectAsRole(sb.root);
});
afterAll(async () => {
  await role?.end();
  await sb?.destroy();
});

describe('ownership, as on a production database', () => {
  it('has PostGIS and pg_trgm owned by the cluster superuser, not by the CATMAID role', async () => {
    const { rows } = await role.query("SELECT extname, extowner::regrole::text AS owner FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1");
    expect(rows).toEqual([{ extname: 'pg_trgm', owner: sb.superuser }, { extname: 'postgis', owner: sb.superuser }]);
    expect(await one("SELECT tableowner FROM pg_tables WHERE tablename = 'spatial_ref_sys'")).toEqual({ tableowner: sb.superuser });
    await expect(role.query('DROP EXTENSION postgis CASCADE')).rejects.toThrow(/must be owner of extension postgis/);
    await expect(role.query("COMMENT ON EXTENSION postgis IS 'x'")).rejects.toThrow(/must be owner of extension postgis/);
  });

  it('connects as a role that is not a superuser and owns the database and every other table', async () => {
    expect(await one('SELECT current_user AS user, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user'))
      .toEqual({ user: 'catmaid', rolsuper: false, rolcreaterole: false, rolcreatedb: false });
    expect(await one('SELECT datdba::regrole::text AS owner FROM pg_database WHERE datname = current_database()')).toEqual({ owner: 'catmaid' });
    const owners = await role.query(
      "SELECT tableowner, count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys' GROUP BY 1");
    expect(owners.rows).toEqual([{ tableowner: 'catmaid', n: expect.any(Number) }]);
    expect(owners.rows[0].n).toBeGreaterThan(20);
  });

  it('records migrations under the app labels CATMAID has', async () => {
    const { rows } = await role.query('SELECT DISTINCT app FROM django_migrations ORDER BY app');
    expect(rows.map((r) => r.app)).toEqual(['admin', 'auth', 'catmaid', 'contenttypes', 'performancetests', 'pgcompat', 'sessions', 'sites']);
  });
});

describe('the tables catmaid-tui touches', () => {
  it('has treenode and connector inheriting location, and location counting both', async () => {
    const { rows } = await role.query(
      "SELECT c.relname AS child, p.relname AS parent FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname IN ('location', 'relation_instance') ORDER BY 1");
    expect(rows).toEqual([{ child: 'connector', parent: 'location' }, { child: 'treenode', parent: 'location' },
      { child: 'treenode_connector', parent: 'relation_instance' }]);
    expect(await count('location')).toBe((await count('treenode')) + (await count('connector')));
    expect(await count('ONLY location')).toBe(0);
  });

  it('has geometry columns with GiST indexes in the derived tables', async () => {
    const columns = await role.query(
      "SELECT f_table_name AS t, f_geometry_column AS c, type, coord_dimension AS dims FROM geometry_columns ORDER BY 1");
    expect(columns.rows).toEqual([
      { t: 'connector_geom', c: 'geom', type: 'POINT', dims: 3 },
      { t: 'treenode_connector_edge', c: 'edge', type: 'LINESTRING', dims: 3 },
      { t: 'treenode_edge', c: 'edge', type: 'LINESTRING', dims: 3 },
    ]);
    const gist = await role.query(
      "SELECT tablename FROM pg_indexes WHERE indexdef LIKE '%USING gist%' ORDER BY 1");
    expect(gist.rows.map((r) => r.tablename)).toEqual(['connector_geom', 'treenode_connector_edge', 'treenode_edge']);
  });

  it('was seeded with one edge per treenode, one per link, one point per connector, roots to themselves', async () => {
    const treenodes = await count('treenode');
    expect(treenodes).toBe(10_000);
    expect(await count('treenode_edge')).toBe(treenodes);
    expect(await count('treenode_connector_edge')).toBe(await count('treenode_connector'));
    expect(await count('connector_geom')).toBe(await count('connector'));
    expect(await count('treenode_connector')).toBe(2 * (await count('connector')));
    expect(await count("treenode_edge WHERE parent_id IS NULL AND ST_3DLength(edge) = 0 AND ST_NPoints(edge) = 2")).toBe(20);
    expect(await one(DRIFT_SQL)).toEqual(NO_DRIFT);
    expect(await count("class_instance WHERE name ILIKE '%skeleton 10%'")).toBeGreaterThan(0);
  });
});

describe('the triggers, for what the role does', () => {
  const drift = () => one(DRIFT_SQL);

  it('fill the derived tables for a new skeleton, its connector and links, inserted in single statements', async () => {
    const before = { edges: await count('treenode_edge'), links: await count('treenode_connector_edge'), points: await count('connector_geom') };
    await role.query("INSERT INTO class_instance (id, user_id, project_id, class_id, name) VALUES (9001, 1, 1, 1, 'new skeleton')");
    await role.query(`INSERT INTO treenode (id, project_id, parent_id, skeleton_id, location_x, location_y, location_z, user_id, editor_id)
      VALUES (900001, 1, NULL, 9001, 0, 0, 0, 1, 1), (900002, 1, 900001, 9001, 10, 0, 0, 1, 1), (900003, 1, 900002, 9001, 20, 5, 0, 1, 1)`);
    await role.query(`INSERT INTO connector (id, project_id, location_x, location_y, location_z, user_id, editor_id)
      VALUES (900010, 1, 15, 15, 0, 1, 1)`);
    await role.query(`INSERT INTO treenode_connector (user_id, project_id, relation_id, treenode_id, connector_id, skeleton_id)
      SELECT 1, 1, r.id, t, 900010, 9001 FROM relation r, (VALUES (900002), (900003)) AS v(t)
      WHERE r.project_id = 1 AND r.relation_name = 'presynaptic_to'`);
    expect({ edges: await count('treenode_edge'), links: await count('treenode_connector_edge'), points: await count('connector_geom') })
      .toEqual({ edges: before.edges + 3, links: before.links + 2, points: before.points + 1 });
    expect(await one("SELECT ST_AsText(edge) AS edge FROM treenode_edge WHERE id = 900003")).toEqual({ edge: 'LINESTRING Z (20 5 0,10 0 0)' });
    expect(await drift()).toEqual(NO_DRIFT);
  });

  it('follow moved nodes (their children and links too), a moved connector, a new parent, a bulk update', async () => {
    await role.query('UPDATE treenode SET location_x = 11, location_y = 1 WHERE id = 900002');
    expect(await one('SELECT ST_AsText(edge) AS edge FROM treenode_edge WHERE id = 900003')).toEqual({ edge: 'LINESTRING Z (20 5 0,11 1 0)' });
    expect(await drift()).toEqual(NO_DRIFT);
    await role.query('UPDATE connector SET location_z = 40 WHERE id = 900010');
    expect(await drift()).toEqual(NO_DRIFT);
    await role.query('UPDATE treenode SET parent_id = 900001 WHERE id = 900003');
    expect(await one('SELECT parent_id FROM treenode_edge WHERE id = 900003')).toEqual({ parent_id: '900001' });
    expect(await drift()).toEqual(NO_DRIFT);
    await role.query('UPDATE treenode SET location_z = location_z + 40 WHERE skeleton_id = 101');
    await role.query('UPDATE treenode_connector SET treenode_id = 900001 WHERE treenode_id = 900003');
    expect(await drift()).toEqual(NO_DRIFT);
  });

  it('remove what belongs to deleted links, connectors (their links cascade) and nodes', async () => {
    await role.query('DELETE FROM treenode_connector WHERE treenode_id = 900002');
    await role.query('DELETE FROM connector WHERE id = 900010');
    expect(await count('treenode_connector_edge WHERE id NOT IN (SELECT id FROM treenode_connector)')).toBe(0);
    await role.query('BEGIN');
    await role.query('UPDATE treenode SET parent_id = NULL WHERE parent_id = 900001');
    await role.query('DELETE FROM treenode WHERE id = 900001');
    await role.query('COMMIT');
    await role.query('DELETE FROM treenode WHERE skeleton_id = 9001');
    expect(await count('treenode_edge WHERE id >= 900000')).toBe(0);
    expect(await count('connector_geom WHERE id >= 900000')).toBe(0);
    expect(await drift()).toEqual(NO_DRIFT);
    expect(await count('treenode_edge')).toBe(await count('treenode'));
  });
});

describe("the sandbox app's rebuild commands", () => {
  const sizes = async () => ({
    treenode_edge: await count('treenode_edge'),
    treenode_connector_edge: await count('treenode_connector_edge'),
    connector_geom: await count('connector_geom'),
  });
  const emptyDerived = () => role.query('TRUNCATE treenode_edge, treenode_connector_edge, connector_geom');

  it('catmaid_rebuild_edge_table asks first, rebuilds all three derived tables on y, nothing on n', async () => {
    const full = await sizes();
    await emptyDerived();
    const no = await managePy(sb.root, ['catmaid_rebuild_edge_table'], 'n\n');
    expect(no.stdout).toContain('Continue? [y/N]:');
    expect(no.exitCode).not.toBe(0);
    expect(await sizes()).toEqual({ treenode_edge: 0, treenode_connector_edge: 0, connector_geom: 0 });
    const dry = await managePy(sb.root, ['catmaid_rebuild_edge_table', '--dryrun'], 'y\n');
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain('Dry run: rolled back.');
    expect(await count('treenode_edge')).toBe(0);
    const yes = await managePy(sb.root, ['catmaid_rebuild_edge_table'], 'y\n');
    expect(yes.exitCode).toBe(0);
    expect(yes.stdout).toContain(`treenode_edge: ${full.treenode_edge} rows`);
    expect(await sizes()).toEqual(full);
    expect(await one(DRIFT_SQL)).toEqual(NO_DRIFT);
    expect(await count("pg_indexes WHERE tablename = 'treenode_edge' AND indexdef LIKE '%gist%'")).toBe(1);
  });

  it('catmaid_rebuild_edge_table --project_id rebuilds only that project', async () => {
    const full = await sizes();
    await role.query('DELETE FROM treenode_edge');
    const run = await managePy(sb.root, ['catmaid_rebuild_edge_table', '--project_id', '2'], 'y\n');
    expect(run.exitCode).toBe(0);
    expect(await count('treenode_edge')).toBe(await count('treenode WHERE project_id = 2'));
    expect(await count('treenode_edge')).toBeLessThan(full.treenode_edge);
    expect((await managePy(sb.root, ['catmaid_rebuild_edge_table', '--project_id', '1'], 'y\n')).exitCode).toBe(0);
    expect(await sizes()).toEqual(full);
  });

  it('catmaid_rebuild_all_materializations rebuilds them and the summary tables without asking', async () => {
    const full = await sizes();
    await emptyDerived();
    await role.query('TRUNCATE catmaid_skeleton_summary, catmaid_stats_summary');
    const run = await managePy(sb.root, ['catmaid_rebuild_all_materializations']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(await sizes()).toEqual(full);
    expect(await count('catmaid_skeleton_summary')).toBe(await count('(SELECT DISTINCT skeleton_id FROM treenode) s'));
    expect(await count('catmaid_skeleton_summary WHERE num_nodes = 500 AND cable_length > 0')).toBe(20);
    expect(await count('catmaid_stats_summary')).toBeGreaterThan(0);
    expect(await one(DRIFT_SQL)).toEqual(NO_DRIFT);
  });
});

describe('the bulk seed of large sandboxes', () => {
  /** Every constraint, index and trigger of the public schema, by name and definition. */
  const SCHEMA_SQL = `SELECT string_agg(line, E'\n' ORDER BY line) AS schema FROM (
    SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL SELECT tgrelid::regclass || ' ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
  ) lines`;

  it('fills the same tables as the plain seed and leaves every key, index and trigger as the migrations made it', async () => {
    const schema = await one(SCHEMA_SQL);
    await role.query('TRUNCATE project, auth_user, treenode_edge, treenode_connector_edge, connector_geom CASCADE');
    await role.query(seedSql('small', { bulk: true }));
    expect(await one(SCHEMA_SQL)).toEqual(schema);
    expect(await count('treenode')).toBe(10_000);
    expect(await count('treenode_edge')).toBe(10_000);
    expect(await count('treenode_connector_edge')).toBe(await count('treenode_connector'));
    expect(await one(DRIFT_SQL)).toEqual(NO_DRIFT);
    await expect(role.query('INSERT INTO treenode_edge SELECT * FROM treenode_edge LIMIT 1')).rejects.toThrow(/duplicate key/);
  });
});
