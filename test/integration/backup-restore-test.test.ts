import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { execa, execaSync } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup, type BackupResult } from '../../src/tasks/backup/backup.js';
import { withClient } from '../../src/tasks/db/connect.js';
import { readManifest, writeManifest } from '../../src/tasks/backup/manifest.js';
import { listBackups } from '../../src/tasks/backup/list.js';
import { pinnedBackups } from '../../src/tasks/backup/pins.js';
import { restoreTest } from '../../src/tasks/backup/restore-test.js';
import { contentsOf } from '../../src/tasks/backup/contents.js';
import { sandboxSql } from '../../src/sandbox/index.js';
import { sandboxProcesses } from '../../src/sandbox/services/processes.js';
import { catmaidTuiCommand } from '../helpers/cli.js';
import { createBackupWorld, dataState, type BackupWorld } from './backup-fixtures.js';

let world: BackupWorld;
let good: BackupResult;
beforeAll(async () => {
  world = await createBackupWorld();
  good = await runBackup({ db: world.db, outDir: await world.folder(), git: world.git, root: world.sandbox.root });
});
afterAll(async () => {
  await world?.destroy();
});

const readdirOr = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);
/** Processes (of any owner) with an argument or working directory in DIR. */
const workingOn = (dir: string) => sandboxProcesses({ dir, within: [dir], uids: [process.getuid?.() ?? 0, Number(execaSync('id', ['-u', 'postgres'], { reject: false }).stdout || -1)] });
/** A signal to a process that may have exited meanwhile. */
const signal = (pid: number, name: NodeJS.Signals): void => {
  try {
    process.kill(pid, name);
  } catch {
    // gone
  }
};
const verifyFolders = async () => (await fs.readdir('/var/tmp')).filter((n) => n.startsWith('catmaid-tui-verify-'));
const verifyDatabases = () =>
  withClient(world.db, async (client) => (await client.query<{ name: string }>("SELECT datname AS name FROM pg_database WHERE datname LIKE '%\\_verify\\_%'")).rows.map((r) => r.name));

/** A row changed inside the dump, the sha256 recomputed and written into the manifest: only a restore can tell. */
async function tamper(result: BackupResult): Promise<string> {
  const folder = await world.folder();
  await fs.mkdir(folder, { recursive: true, mode: 0o700 });
  const file = path.join(folder, path.basename(result.path));
  const text = await fs.readFile(result.path, 'utf8');
  const copy = text.indexOf('\nCOPY public.treenode (');
  const row = text.indexOf('\n', copy + 1) + 1;
  const line = text.slice(row, text.indexOf('\n', row));
  const fields = line.split('\t');
  fields[3] = String(Number(fields[3]) + 1); // location_x of the first treenode, one nanometre further
  const changed = `${text.slice(0, row)}${fields.join('\t')}${text.slice(row + line.length)}`;
  await fs.writeFile(file, changed, { mode: 0o600 });
  const reading = await readManifest(result.path);
  if (reading.state !== 'ok') throw new Error('no manifest');
  const bytes = Buffer.from(changed);
  await writeManifest(file, { ...reading.manifest, sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length });
  return file;
}

describe('a restore test', () => {
  it('of a good backup passes in a temporary cluster (the CATMAID role may not create databases), records it and pins the backup', async () => {
    const before = await verifyFolders();
    const result = await restoreTest({ root: world.sandbox.root, db: world.db, file: good.path });
    expect(result).toMatchObject({ ok: true, where: 'cluster', differences: [] });
    expect(result.detail).toMatch(/^row counts and checksums equal \(\d+ tables\)$/);
    const reading = await readManifest(good.path);
    expect(reading.state === 'ok' && reading.manifest.restoreTest).toEqual({ at: result.at, ok: true, detail: result.detail, where: 'cluster', seconds: result.seconds });
    expect(pinnedBackups(world.sandbox.root).filter((p) => p.kind === 'restore-test').map((p) => p.path)).toEqual([good.path]);
    expect(await verifyFolders()).toEqual(before);
  });

  it('of a dump with a row changed inside (sha256 recomputed) fails on the checksum, and is not pinned', async () => {
    const file = await tamper(good);
    const result = await restoreTest({ root: world.sandbox.root, db: world.db, file });
    expect(result.ok).toBe(false);
    expect(result.differences).toEqual(['treenode: checksum differs (same 10000 rows, changed contents)']);
    const reading = await readManifest(file);
    expect(reading.state === 'ok' && reading.manifest.restoreTest?.ok).toBe(false);
    expect(pinnedBackups(world.sandbox.root).filter((p) => p.kind === 'restore-test').map((p) => p.path)).toEqual([good.path]);
  });

  it('compares with the method the manifest names: row hashes (v2) on this server, md5 of row text (v1) in older manifests', async () => {
    expect(good.manifest.contents?.method).toBe('row-hash-sum-v2');
    const v1 = await contentsOf(world.db, 'row-md5-sum-v1');
    expect(v1.tables.treenode.rows).toBe(good.manifest.contents?.tables.treenode.rows);
    expect(v1.tables.treenode.checksum).not.toBe(good.manifest.contents?.tables.treenode.checksum);
    const folder = await world.folder();
    await fs.mkdir(folder, { recursive: true, mode: 0o700 });
    const file = path.join(folder, `v1-${path.basename(good.path)}`);
    await fs.copyFile(good.path, file);
    await writeManifest(file, { ...good.manifest, contents: v1 });
    const result = await restoreTest({ root: world.sandbox.root, db: world.db, file });
    expect(result).toMatchObject({ ok: true, differences: [] });
  });

  it("uses a throwaway database on the instance's server when the role may create one, and drops it", async () => {
    const sql = (text: string) => sandboxSql(world.sandbox.dir, text);
    await sql(`ALTER ROLE ${world.db.user} SUPERUSER;`);
    try {
      const state = await dataState(world.db);
      const result = await restoreTest({ root: world.sandbox.root, db: world.db, file: good.path });
      expect(result).toMatchObject({ ok: true, where: 'database' });
      expect(await verifyDatabases()).toEqual([]);
      expect(await dataState(world.db)).toEqual(state);
    } finally {
      await sql(`ALTER ROLE ${world.db.user} NOSUPERUSER;`);
    }
  });

  it('through the CLI: backup verify FILE --restore-test, exit 0 when it passes and 1 when it fails', async () => {
    const passed = await world.cli(['backup', 'verify', good.path, '--restore-test']);
    expect(passed.stdout).toMatch(/restore test passed: row counts and checksums equal/);
    expect(passed.exitCode).toBe(0);
    const listed = await world.cli(['backups', '--out', path.dirname(good.path)]);
    expect(listed.stdout).toMatch(/restore-tested ✓ \d{4}-\d\d-\d\d/);
    const failed = await world.cli(['backup', 'verify', await tamper(good), '--restore-test']);
    expect(failed.stdout).toMatch(/restore test FAILED: treenode: checksum differs/);
    expect(failed.exitCode).toBe(1);
  });

  it('in the schedule: --restore-test-every 7d tests the new backup when none passed within 7 days, and not again the next night', async () => {
    const folder = await world.folder();
    const first = await world.cli(['backup', '--scheduled', '--quiet', '--out', folder, '--restore-test-every', '7d']);
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    const second = await world.cli(['backup', '--scheduled', '--quiet', '--out', folder, '--restore-test-every', '7d']);
    expect(second.exitCode).toBe(0);
    // Newest first: the second night's backup was not tested, the first one's was.
    expect((await listBackups(folder)).map((e) => e.manifest?.restoreTest?.ok ?? null)).toEqual([null, true]);
    expect((await world.cli(['backup', '--out', folder, '--restore-test-every', 'weekly'])).exitCode).toBe(2);
  });

  // Killed while initdb still works on the folder (held there with SIGSTOP, as on a loaded machine, so that it still
  // runs when the next restore test starts; pg_ctl cannot stop it or its single-user backend), and killed once the
  // temporary server runs: either way the next restore test leaves no folder and no process behind.
  const stages = [
    ['during initdb', (dir: string) => existsSync(path.join(dir, 'pg', 'PG_VERSION')) && workingOn(dir).some((p) => p.command.includes('initdb')), true],
    ['with its server running', (dir: string) => readdirOr(path.join(dir, 'socket')).some((n) => n.startsWith('.s.PGSQL.')), false],
  ] as const;
  it.each(stages)('killed (kill -9) %s leaves a temporary cluster that the next restore test stops and removes', async (_stage, reached, hold) => {
    const before = await verifyFolders();
    const [program, ...first] = catmaidTuiCommand();
    const child = execa(program, [...first, '--catmaid-dir', world.sandbox.root, 'backup', 'verify', good.path, '--restore-test'], { env: { ...world.env, NO_COLOR: '1' }, reject: false });
    let left: string[] = [];
    for (let i = 0; i < 3000 && left.length === 0; i += 1) {
      await new Promise((r) => setTimeout(r, 10));
      left = (await verifyFolders()).filter((n) => !before.includes(n) && reached(path.join('/var/tmp', n)));
    }
    expect(left).toHaveLength(1);
    const dir = path.join('/var/tmp', left[0]);
    if (hold) for (const p of workingOn(dir).filter((w) => !w.command.startsWith('runuser'))) signal(p.pid, 'SIGSTOP');
    child.kill('SIGKILL');
    await child;
    expect(existsSync(dir)).toBe(true);
    expect(workingOn(dir).filter((p) => !hold || p.command.includes('initdb'))).not.toEqual([]);
    const result = await restoreTest({ root: world.sandbox.root, db: world.db, file: good.path });
    expect(result.ok).toBe(true);
    // /var/tmp is shared: a cluster left by another killed run may have been cleaned up too, but none is new.
    const after = await verifyFolders();
    expect(after).not.toContain(left[0]);
    expect(after.filter((n) => !before.includes(n))).toEqual([]);
    // runuser (root's way to run initdb as postgres) exits when its initdb has; it stopped itself when SIGSTOP held
    // its child (as su does for job control), so it is continued here.
    if (hold) for (const p of workingOn(dir).filter((w) => w.command.startsWith('runuser'))) signal(p.pid, 'SIGCONT');
    for (let i = 0; i < 40 && workingOn(dir).length > 0; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(workingOn(dir)).toEqual([]);
  });
});
