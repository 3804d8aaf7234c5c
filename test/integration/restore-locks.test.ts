import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../src/tasks/backup/backup.js';
import type { LockWait } from '../../src/tasks/backup/lock-watch.js';
import { runRestore } from '../../src/tasks/backup/restore.js';
import { clientConfig } from '../../src/tasks/db/connect.js';
import { changeData, createBackupWorld, dataState, type BackupWorld } from './backup-fixtures.js';

let world: BackupWorld;
let backup: string;
beforeAll(async () => {
  world = await createBackupWorld();
  backup = (await runBackup({ db: world.db, outDir: await world.folder(), git: world.git, root: world.sandbox.root })).path;
});
afterAll(async () => {
  await world?.destroy();
});

/** A client of the kind that hung restores: it read treenode_connector in a transaction and went idle. */
async function idleInTransaction(): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(world.db, { application_name: 'forgotten psql' }));
  client.on('error', () => undefined);
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT 1 FROM treenode_connector LIMIT 1');
  return client;
}

const pidOf = async (client: pg.Client): Promise<number> => (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;

describe('a restore while another session holds a lock on a CATMAID table', () => {
  it('lists who is connected first, says who holds the lock, and gives up after --lock-wait: exit 1, database unchanged', async () => {
    await changeData(world.db);
    const before = await dataState(world.db);
    const holder = await idleInTransaction();
    const pid = await pidOf(holder);
    try {
      const started = Date.now();
      const run = await world.cli(['restore', backup, '--yes', '--no-safety-backup', '--lock-wait', '3']);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(run.exitCode).toBe(1);
      const lines = run.stderr.split('\n');
      const listed = lines.indexOf(`1 other session is connected to ${world.db.name}:`);
      expect(listed).toBeGreaterThanOrEqual(0);
      expect(lines[listed + 1]).toMatch(new RegExp(`^ {2}pid ${pid} ${world.db.user} \\(forgotten psql, 127\\.0\\.0\\.1, idle in transaction, since \\d+ s\\)$`));
      expect(listed).toBeLessThan(lines.indexOf('restore: running'));
      expect(run.stderr).toMatch(new RegExp(`waiting for a lock held by pid ${pid} ${world.db.user} \\(forgotten psql, .*idle in transaction`));
      expect(run.stderr).toMatch(new RegExp(`catmaid-tui: restore aborted while waiting for a lock held by pid ${pid} .*; the database was left as it was`));
      expect(run.stderr).toMatch(/hint: .*--terminate-blockers/);
      expect(await dataState(world.db)).toEqual(before);
    } finally {
      await holder.end().catch(() => undefined);
    }
  });

  it('with --terminate-blockers ends the session that holds the lock and restores', async () => {
    const state = await dataState(world.db);
    const holder = await idleInTransaction();
    const run = await world.cli(['restore', backup, '--yes', '--no-safety-backup', '--terminate-blockers', '--allow-version-mismatch']);
    expect(run.stderr).toMatch(/waiting for a lock held by pid \d+/);
    expect(run.exitCode).toBe(0);
    await expect(holder.query('SELECT 1')).rejects.toThrow();
    expect((await dataState(world.db)).treenodes).toBe(state.treenodes);
  });

  it('asks whoever drives it (the screen, a terminal) and carries out the choice', async () => {
    await changeData(world.db);
    const holder = await idleInTransaction();
    const pid = await pidOf(holder);
    const asked: LockWait[] = [];
    const result = await runRestore({
      db: world.db,
      file: backup,
      root: world.sandbox.root,
      currentCommit: world.git.commit,
      allowVersionMismatch: false,
      confirmed: true,
      safetyBackup: false,
      python: world.info.layout.python,
      managePy: world.info.layout.managePy,
      onLockWait: async (wait) => {
        asked.push(wait);
        return 'terminate';
      },
    });
    expect(result.sessions.map((s) => [s.pid, s.app, s.state])).toEqual([[pid, 'forgotten psql', 'idle in transaction']]);
    expect(asked).toHaveLength(1);
    expect(asked[0].blockers.map((b) => [b.pid, b.app])).toEqual([[pid, 'forgotten psql']]);
    await expect(holder.query('SELECT 1')).rejects.toThrow();
  });
});
