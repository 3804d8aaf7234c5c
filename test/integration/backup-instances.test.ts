import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../src/tasks/db/connect.js';
import { pinBackup } from '../../src/tasks/backup/pins.js';
import { until } from '../helpers/procs.js';
import { createBackupWorld, listDir, type BackupWorld } from './backup-fixtures.js';

/** Two instances as issue 12 found them: root folders of the same name, databases of the same name. */
let a: BackupWorld;
let b: BackupWorld;
let env: Record<string, string>;
beforeAll(async () => {
  [a, b] = await Promise.all([createBackupWorld(), createBackupWorld()]);
  env = a.env;
});
afterAll(async () => {
  await Promise.all([a?.destroy(), b?.destroy()]);
});

const cli = (world: BackupWorld, args: string[]) => world.cli(args);
const backedUp = async (world: BackupWorld, args: string[]) => {
  const run = await cli(world, ['backup', '--json', ...args]);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as { path: string; pruned: string[] };
};
type Listed = { folder: string; backups: { name: string; path: string; manifest: { kind?: string } | null; pin?: { kind: string; reason: string } }[]; oldFolder: { folder: string; backups: { name: string }[] } | null };
const listed = async (world: BackupWorld, args: string[] = []) => JSON.parse((await cli(world, ['backups', '--json', ...args])).stdout) as Listed;

describe('two instances whose folders and databases share a name', () => {
  it('have a default backup folder each', async () => {
    expect(path.basename(a.sandbox.root)).toBe(path.basename(b.sandbox.root));
    expect(a.db.name).toBe(b.db.name);
    const [fromA, fromB] = [await backedUp(a, []), await backedUp(b, [])];
    expect(path.dirname(fromA.path)).not.toBe(path.dirname(fromB.path));
    expect((await listed(a)).backups.map((e) => e.path)).toEqual([fromA.path]);
  });

  it("in one shared folder, each one's --keep prunes only its own backups", async () => {
    const shared = await a.folder();
    const first = [await backedUp(a, ['--out', shared]), await backedUp(b, ['--out', shared])];
    const second = [await backedUp(a, ['--out', shared, '--keep', '1']), await backedUp(b, ['--out', shared, '--keep', '1'])];
    expect(second[0].pruned).toEqual([first[0].path]);
    expect(second[1].pruned).toEqual([first[1].path]);
    const names = await listDir(shared);
    for (const made of second) expect(names).toContain(path.basename(made.path));
    expect(names).toHaveLength(4);
  });

  it("never prune the old default folder's backups, and list this database's among them", async () => {
    const made = await backedUp(a, ['--out', await a.folder()]);
    // Earlier versions put every instance named "catmaid" into backups/catmaid, with manifests naming no instance.
    const old = path.join(env.XDG_DATA_HOME, 'catmaid-tui', 'backups', path.basename(a.sandbox.root));
    await fs.mkdir(old, { recursive: true, mode: 0o700 });
    const name = path.basename(made.path).replace(/_(\d{12})_/, '_202001010300_');
    await fs.copyFile(made.path, path.join(old, name));
    const manifest = JSON.parse(await fs.readFile(`${made.path}.json`, 'utf8')) as Record<string, unknown>;
    const { instance: _i, databaseKey: _d, kind: _k, ...v1 } = manifest;
    await fs.writeFile(path.join(old, `${name}.json`), JSON.stringify({ ...v1, manifestVersion: 1, file: name, startedAt: '2020-01-01T03:00:00.000Z' }));

    await backedUp(a, ['--keep', '1']);
    await backedUp(a, ['--keep', '1']);
    expect(await listDir(old)).toEqual([name, `${name}.json`]);
    const seen = await listed(a);
    expect(seen.oldFolder).toEqual(expect.objectContaining({ folder: old, backups: [expect.objectContaining({ name })] }));
    expect((await cli(a, ['backups'])).stdout).toMatch(new RegExp(`in ${old}, the default folder of earlier versions \\(listed, never pruned\\):\\n.*\\n.*${name}`));
    // The other instance's database lives on another port: the old folder holds nothing of its.
    expect((await listed(b)).oldFolder).toBeNull();
  });
});

describe('pinned backups', () => {
  it('are never pruned and are shown with their reason', async () => {
    const folder = await a.folder();
    const kept = await backedUp(a, ['--out', folder]);
    await pinBackup(a.sandbox.root, kept.path, 'update', 'pre-update backup of the update started 2026-11-30 14:02');
    await backedUp(a, ['--out', folder, '--keep', '1']);
    const last = await backedUp(a, ['--out', folder, '--keep', '1']);
    const seen = await listed(a, ['--out', folder]);
    expect(seen.backups.map((e) => e.path).sort()).toEqual([kept.path, last.path].sort());
    expect(seen.backups.find((e) => e.path === kept.path)?.pin).toEqual(expect.objectContaining({ kind: 'update', reason: expect.stringMatching(/^pre-update backup/) }));
    expect((await cli(a, ['backups', '--out', folder])).stdout).toMatch(new RegExp(`${path.basename(kept.path)} +backup +pinned \\(update\\): pre-update backup of the update started`));
  });

  it('a restore pins its source while it runs, and its safety backup (kind safety) after', async () => {
    const folder = await a.folder();
    const source = await backedUp(a, ['--out', folder]);
    const holder = new pg.Client(clientConfig(a.db));
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM treenode_connector LIMIT 1');
    const run = cli(a, ['restore', source.path, '--yes', '--lock-wait', '60']);
    const pinned = await until(async () => (await listed(a, ['--out', folder])).backups.find((e) => e.path === source.path && e.pin), 'the source to be pinned', 60_000);
    expect(pinned.pin).toEqual(expect.objectContaining({ kind: 'restore', reason: expect.stringMatching(/^source of the restore into catmaid/) }));
    await holder.query('ROLLBACK');
    await holder.end();
    expect((await run).exitCode).toBe(0);

    const after = await listed(a, ['--out', folder]);
    expect(after.backups.find((e) => e.path === source.path)?.pin).toBeUndefined();
    // The safety backup goes to the instance's own folder, wherever the restored dump came from.
    const safety = (await listed(a)).backups.find((e) => e.manifest?.kind === 'safety')!;
    expect(safety.pin).toEqual(expect.objectContaining({ kind: 'safety', reason: expect.stringMatching(/taken before restore of /) }));
    expect((await cli(a, ['backups'])).stdout).toMatch(
      new RegExp(`${path.basename(safety.path)} +safety: taken before restore of ${path.basename(source.path).replace(/\./g, '\\.')} +pinned \\(safety\\)`),
    );
  });
});
