import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup, serverFacts } from '../../src/tasks/backup/backup.js';
import { runRestore, type RestoreOptions } from '../../src/tasks/backup/restore.js';
import { libpqEnv } from '../../src/tasks/db/connect.js';
import { CliError } from '../../src/tasks/errors.js';
import type { RestoreFailure } from '../../src/tasks/backup/restore-failure.js';
import { pgBin } from '../../src/tasks/pg-bin.js';
import { changeData, createBackupWorld, dataState, listDir, type BackupWorld } from './backup-fixtures.js';

let world: BackupWorld;
beforeAll(async () => {
  world = await createBackupWorld();
});
afterAll(async () => {
  await world?.destroy();
});

function restore(file: string, folder: string, extra: Partial<RestoreOptions> = {}) {
  return runRestore({
    db: world.db,
    file,
    currentCommit: world.git.commit,
    allowVersionMismatch: false,
    confirmed: true,
    safetyBackup: { outDir: folder, git: world.git },
    python: world.info.layout.python,
    managePy: world.info.layout.managePy,
    ...extra,
  });
}

const failure = (p: Promise<unknown>) => p.then(() => null, (err: unknown) => err as CliError);

describe('restoring a damaged dump', () => {
  it.each(['sql', 'custom'] as const)('(%s, cut short) fails with exit 1 before touching the database', async (format) => {
    const folder = await world.folder();
    const backup = await runBackup({ db: world.db, outDir: folder, git: world.git, format });
    const cut = path.join(path.dirname(folder), `cut.${format === 'sql' ? 'sql' : 'dump'}`);
    const bytes = await fs.readFile(backup.path);
    await fs.writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await changeData(world.db);
    const before = await dataState(world.db);
    const err = await failure(restore(cut, folder));
    expect(err?.exitCode).toBe(1);
    expect(err?.message).toMatch(/failed verification: .*(cut short|cannot read).*; the database was not touched/);
    expect(await dataState(world.db)).toEqual(before);
    expect(await listDir(folder)).toHaveLength(2);
  });

  it('(directory, a data file cut short) fails with exit 1 before touching the database', async () => {
    const folder = await world.folder();
    const backup = await runBackup({ db: world.db, outDir: folder, git: world.git, format: 'directory' });
    const copy = path.join(path.dirname(folder), 'cut.dir');
    await fs.cp(backup.path, copy, { recursive: true });
    const files = await fs.readdir(copy);
    const sizes = await Promise.all(files.map(async (f) => ({ f, size: (await fs.stat(path.join(copy, f))).size })));
    const largest = sizes.filter((s) => s.f.endsWith('.dat.gz')).sort((a, b) => b.size - a.size)[0].f;
    const bytes = await fs.readFile(path.join(copy, largest));
    await fs.writeFile(path.join(copy, largest), bytes.subarray(0, Math.floor(bytes.length / 2)));
    await changeData(world.db);
    const before = await dataState(world.db);
    const err = await failure(restore(copy, folder));
    expect(err?.exitCode).toBe(1);
    expect(err?.message).toMatch(/failed verification: .*; the database was not touched/);
    expect(await dataState(world.db)).toEqual(before);
  });

  it('(a file changed after the backup) fails on its sha256', async () => {
    const folder = await world.folder();
    const backup = await runBackup({ db: world.db, outDir: folder, git: world.git });
    await fs.appendFile(backup.path, '-- edited\n');
    const err = await failure(restore(backup.path, folder));
    expect(err?.message).toMatch(/sha256 differs from the manifest/);
  });

  it('(complete, but with an error in the middle) rolls back: the database stays exactly as it was', async () => {
    const folder = await world.folder();
    const backup = await runBackup({ db: world.db, outDir: folder, git: world.git });
    const text = await fs.readFile(backup.path, 'utf8');
    const broken = path.join(path.dirname(folder), 'broken.sql');
    await fs.writeFile(broken, text.replace('\nCOPY public.treenode_connector', '\nSELECT no_such_function();\nCOPY public.treenode_connector'));
    await changeData(world.db);
    const before = await dataState(world.db);
    const err = await failure(restore(broken, folder, { safetyBackup: false }));
    expect(err?.exitCode).toBe(1);
    expect(err?.message).toBe('the restore failed and was rolled back: the database is unchanged');
    expect((err as RestoreFailure).failed).toEqual([expect.stringMatching(/function no_such_function\(\) does not exist/)]);
    expect(await dataState(world.db)).toEqual(before);
  });
});

describe('safety checks before a restore', () => {
  it('refuse (exit 3) a backup of another commit unless allowed, and an unconfirmed restore', async () => {
    const folder = await world.folder();
    const old = { commit: 'abcdef0123456789abcdef0123456789abcdef01', shortCommit: 'abcdef0', describe: '2018.11.09' };
    const backup = await runBackup({ db: world.db, outDir: folder, git: old });
    await changeData(world.db);
    const before = await dataState(world.db);

    const mismatch = await failure(restore(backup.path, folder));
    expect(mismatch?.exitCode).toBe(3);
    expect(mismatch?.message).toMatch(/made at commit abcdef0.* migrations may not match/);
    expect(mismatch?.hint).toMatch(/--allow-version-mismatch/);

    const unconfirmed = await failure(restore(backup.path, folder, { allowVersionMismatch: true, confirmed: false }));
    expect(unconfirmed?.exitCode).toBe(3);
    expect(unconfirmed?.hint).toMatch(/--yes/);
    const declined = await failure(restore(backup.path, folder, { allowVersionMismatch: true, confirmed: false, confirm: async () => false }));
    expect(declined?.exitCode).toBe(3);
    expect(await dataState(world.db)).toEqual(before);
    expect(await listDir(folder)).toHaveLength(2);

    const allowed = await restore(backup.path, folder, { allowVersionMismatch: true, confirmed: false, confirm: async () => true });
    expect(allowed.warnings.join('\n')).toMatch(/migrations may not match/);
    expect(await listDir(folder)).toHaveLength(4);
  });
});

describe('a dump made by hand the way the old instructions said', () => {
  it('(pg_dump --clean -T treenode_edge, no manifest) restores and gets its edge table rebuilt', async () => {
    const folder = await world.folder();
    const state = await dataState(world.db);
    const file = path.join(path.dirname(folder), 'catmaid.sql');
    const pgDump = pgBin('pg_dump', (await serverFacts(world.db)).major);
    await execa(pgDump, ['--clean', '-T', 'treenode_edge', '-f', file], { env: libpqEnv(world.db) });
    await changeData(world.db);
    const result = await restore(file, folder);
    expect(result.warnings.join('\n')).toMatch(/no manifest/);
    expect(result.warnings.join('\n')).toMatch(/the dump leaves out treenode_edge entirely \(pg_dump -T\)/);
    expect(await dataState(world.db)).toEqual(state);
    expect(result.derived?.counts.map((c) => c.rows)).toEqual([state.edges, state.linkEdges, state.connectorGeoms]);
  });

  it('(a custom archive restored with --jobs 2) says the restore is not one transaction', async () => {
    const folder = await world.folder();
    const backup = await runBackup({ db: world.db, outDir: folder, git: world.git, format: 'custom' });
    const state = await dataState(world.db);
    await changeData(world.db);
    const result = await restore(backup.path, folder, { jobs: 2, safetyBackup: false });
    expect(result.warnings.join('\n')).toMatch(/not one transaction/);
    expect(await dataState(world.db)).toEqual(state);
  });
});

describe('a backup with the edge table', () => {
  it('(--with-edge-table) records no excluded rows and restores without a rebuild', async () => {
    const folder = await world.folder();
    const backup = await runBackup({ db: world.db, outDir: folder, git: world.git, withEdgeTable: true });
    expect(backup.manifest.excludedTableData).toEqual([]);
    const state = await dataState(world.db);
    await changeData(world.db);
    const result = await restore(backup.path, folder, { safetyBackup: false });
    expect(result.derived).toBeNull();
    expect(await dataState(world.db)).toEqual(state);
  });
});

describe('a file that is no dump at all', () => {
  it.each([
    ['random bytes', () => crypto.randomBytes(300_000), /it is not a dump: neither a pg_dump archive/],
    ['a gzip file', () => gzipSync(Buffer.from('-- PostgreSQL database dump\n')), /it is gzip-compressed, not a dump itself: gunzip it first/],
  ])('(%s) is called what it is, not "cut short", and the database is not touched', async (_what, bytes, said) => {
    const folder = await world.folder();
    const file = path.join(path.dirname(folder), 'mystery.sql');
    await fs.writeFile(file, bytes());
    const before = await dataState(world.db);
    const err = await failure(restore(file, folder));
    expect(err?.exitCode).toBe(1);
    expect(err?.message).toMatch(said);
    expect(err?.message).not.toMatch(/cut short/);
    expect(await dataState(world.db)).toEqual(before);
  });
});
