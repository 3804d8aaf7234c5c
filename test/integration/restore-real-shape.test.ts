import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverFacts } from '../../src/tasks/backup/backup.js';
import { libpqEnv } from '../../src/tasks/db/connect.js';
import { pgBin } from '../../src/tasks/pg-bin.js';
import { changeData, createBackupWorld, dataState, type BackupWorld } from './backup-fixtures.js';

/**
 * Issue 13 §2 on the sandbox's real shape (PostGIS and pg_trgm owned by the superuser, the CATMAID role no
 * superuser, three derived tables kept by triggers): every format backed up and restored through the CLI as the
 * role, with a working virtualenv (manage.py rebuilds) and a broken one (SQL rebuilds), and the dumps of CATMAID's
 * administration manual.
 */
describe.each([
  { flavour: 'a working virtualenv', brokenVenv: false, via: 'manage.py' },
  { flavour: 'a broken virtualenv', brokenVenv: true, via: 'sql' },
])('backup and restore as the CATMAID role, with $flavour', ({ brokenVenv, via }) => {
  let world: BackupWorld;
  beforeAll(async () => {
    world = await createBackupWorld({ brokenVenv });
  });
  afterAll(async () => {
    await world?.destroy();
  });

  const superuser = async () => (await world.sql(`SELECT rolsuper FROM pg_roles WHERE rolname = '${world.db.user}'`)).trim();
  /** The derived tables' indexes (with their options) and constraints: a rebuild leaves them as CATMAID made them. */
  const derivedSchema = async () => world.sql(`SELECT c.relname || ' ' || pg_get_indexdef(i.indexrelid) || ' ' || coalesce(array_to_string(x.reloptions, ','), '-')
      || ' ' || coalesce((SELECT conname || ' ' || pg_get_constraintdef(k.oid) FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = c.oid), '-')
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid
    WHERE c.relname IN ('treenode_edge', 'treenode_connector_edge', 'connector_geom') ORDER BY 1`);

  it.each(['sql', 'custom', 'directory'] as const)('(%s) gives back the same rows and checksums, the derived tables rebuilt and counted', async (format) => {
    const out = await world.folder();
    const made = await world.cli(['backup', '--out', out, '--format', format, '--json']);
    expect(made.stderr).toBe('');
    const { path: dump, manifest } = JSON.parse(made.stdout) as { path: string; manifest: { excludedTableData: string[] } };
    // The database settings.py names, found by Django or (broken virtualenv) by the static reading.
    expect(manifest).toMatchObject({ database: world.db.name, host: world.db.host, port: world.db.port });
    expect(manifest.excludedTableData).toEqual(expect.arrayContaining(['treenode_edge', 'treenode_connector_edge', 'connector_geom']));
    const before = await dataState(world.db);
    const schema = await derivedSchema();
    expect(schema).toMatch(/treenode_edge CREATE INDEX treenode_edge_gix .* USING gist \(edge gist_geometry_ops_nd\) - -/);
    expect(schema).toMatch(/treenode_edge CREATE UNIQUE INDEX treenode_edge_pkey .* - treenode_edge_pkey PRIMARY KEY \(id\)/);
    await changeData(world.db);
    expect((await dataState(world.db)).linkChecksum).not.toBe(before.linkChecksum);

    const restored = await world.cli(['restore', dump, '--yes', '--json']);
    expect(restored.exitCode, restored.stderr).toBe(0);
    const result = JSON.parse(restored.stdout) as { leftOut: string[]; derived: { via: string; counts: { rows: number; expected: number }[] } };
    expect(result.leftOut.join('; ')).toMatch(/extension postgis/);
    expect(result.derived.via).toBe(via);
    expect(result.derived.counts.every((c) => c.rows === c.expected && c.rows > 0)).toBe(true);
    expect(await dataState(world.db)).toEqual(before);
    expect(await derivedSchema()).toBe(schema);
    expect(await superuser()).toBe('f');
  });

  it("(the administration manual's pg_dump -Fc --clean -U <role>) restores with its derived rows, no rebuild", async () => {
    const file = path.join(path.dirname(await world.folder()), 'manual.dump');
    const pgDump = pgBin('pg_dump', (await serverFacts(world.db)).major);
    await execa(pgDump, ['-Fc', '--clean', '-U', world.db.user, '-f', file, world.db.name], { env: libpqEnv(world.db) });
    const before = await dataState(world.db);
    await changeData(world.db);
    const restored = await world.cli(['restore', file, '--yes', '--no-safety-backup', '--json']);
    expect(restored.exitCode, restored.stderr).toBe(0);
    expect((JSON.parse(restored.stdout) as { derived: unknown }).derived).toBeNull();
    expect(await dataState(world.db)).toEqual(before);
  });

  it("(the administration manual's pg_dump --clean -T treenode_edge) restores, treenode_edge rebuilt from its current definition", async () => {
    const file = path.join(path.dirname(await world.folder()), 'manual.sql');
    const pgDump = pgBin('pg_dump', (await serverFacts(world.db)).major);
    await execa(pgDump, ['--clean', '-T', 'treenode_edge', '-f', file], { env: libpqEnv(world.db) });
    const before = await dataState(world.db);
    await changeData(world.db);
    const restored = await world.cli(['restore', file, '--yes', '--no-safety-backup']);
    expect(restored.exitCode, restored.stderr).toBe(0);
    expect(restored.stderr).toMatch(/the dump leaves out treenode_edge entirely \(pg_dump -T\)/);
    expect(await dataState(world.db)).toEqual(before);
    expect(await superuser()).toBe('f');
  });
});

describe('a dump the role cannot restore', () => {
  let world: BackupWorld;
  beforeAll(async () => {
    world = await createBackupWorld();
  });
  afterAll(async () => {
    await world?.destroy();
  });

  it('(an object of the superuser in it) says which object failed, that the database is unchanged, and what would succeed', async () => {
    await world.sql(`CREATE SCHEMA admin; CREATE TABLE admin.notes (note text); INSERT INTO admin.notes VALUES ('the superuser''s');`);
    const file = path.join(path.dirname(await world.folder()), 'superuser.dump');
    await world.superuserDump(['-Fc', '--clean', '-f', file]);
    await changeData(world.db);
    const before = await dataState(world.db);
    const run = await world.cli(['restore', file, '--yes', '--no-safety-backup']);
    expect(run.exitCode).toBe(1);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines.slice(-3)).toEqual([
      'failed: schema admin: permission denied for schema admin',
      'catmaid-tui: the restore failed and was rolled back: the database is unchanged',
      `  hint: as root on the database host, as the PostgreSQL superuser: catmaid-tui restore ${file} --as-superuser`,
    ]);
    expect(await dataState(world.db)).toEqual(before);
  });

  it('(a dump that needs an extension the database lacks) is refused before anything is touched', async () => {
    const file = path.join(path.dirname(await world.folder()), 'with-postgis.sql');
    await world.superuserDump(['-f', file]);
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace(/^CREATE EXTENSION IF NOT EXISTS postgis /m, 'CREATE EXTENSION IF NOT EXISTS postgis_raster WITH SCHEMA public;\n$&'));
    const before = await dataState(world.db);
    const run = await world.cli(['restore', file, '--yes', '--no-safety-backup']);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/the dump needs the extension postgis_raster, which database catmaid lacks and catmaid may not create; nothing was changed/);
    expect(run.stderr).toMatch(/hint: as the PostgreSQL superuser: CREATE EXTENSION postgis_raster;/);
    expect(await dataState(world.db)).toEqual(before);
  });
});
