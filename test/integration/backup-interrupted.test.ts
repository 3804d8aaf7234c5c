import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../src/tasks/backup/backup.js';
import { clientConfig } from '../../src/tasks/db/connect.js';
import { CliError } from '../../src/tasks/errors.js';
import { childrenNamed, processes, until } from '../helpers/procs.js';
import { createBackupWorld, listDir, type BackupWorld } from './backup-fixtures.js';

let world: BackupWorld;
beforeAll(async () => {
  world = await createBackupWorld();
});
afterAll(async () => {
  await world?.destroy();
});

/**
 * pg_dump locks every table it dumps first; a transaction holding connector exclusively keeps it waiting there,
 * so the test can look at (and kill) a pg_dump that is surely mid-backup.
 */
async function holdConnector(): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(world.db));
  client.on('error', () => undefined);
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE connector IN ACCESS EXCLUSIVE MODE');
  return client;
}

async function release(holder: pg.Client): Promise<void> {
  await holder.query('ROLLBACK').catch(() => undefined);
  await holder.end().catch(() => undefined);
}

/** The dumping pg_dump this test process started (not its `--version` run, nor other tests' dumps). */
const ourPgDump = () => childrenNamed(process.pid, 'pg_dump').find((p) => p.argv.includes('--verbose'));

describe('a backup cut short', () => {
  it.each(['sql', 'custom'] as const)('(%s) by killing pg_dump leaves no dump and no .partial, and never shows the password', async (format) => {
    const folder = await world.folder();
    const holder = await holdConnector();
    const outcome = runBackup({ db: world.db, outDir: folder, git: world.git, format }).then(
      () => null,
      (err: unknown) => err,
    );
    try {
      const dump = await until(ourPgDump, 'pg_dump to start');
      const partial = await until(() => fs.readdirSync(folder).find((n) => n.endsWith('.partial')), 'the .partial');
      expect(partial).toMatch(new RegExp(`^${world.db.name}_\\d{12}_\\w+\\.(sql|dump)\\.partial$`));
      expect(world.db.password.length).toBeGreaterThan(3);
      const everyone = processes();
      expect(everyone.length).toBeGreaterThan(5);
      expect(everyone.filter((p) => p.argv.join(' ').includes(world.db.password))).toEqual([]);

      process.kill(dump.pid, 'SIGKILL');
    } finally {
      await release(holder);
    }
    const err = await outcome;
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(1);
    expect((err as CliError).message).toMatch(/pg_dump was killed \(SIGKILL\).*removed/);
    expect(await listDir(folder)).toEqual([]);
  });

  it('by the admin (SIGINT reaches the task as an abort) removes everything it wrote', async () => {
    const folder = await world.folder();
    const holder = await holdConnector();
    const controller = new AbortController();
    const outcome = runBackup({ db: world.db, outDir: folder, git: world.git, signal: controller.signal }).catch((e: unknown) => e);
    try {
      await until(ourPgDump, 'pg_dump to start');
      controller.abort();
    } finally {
      await release(holder);
    }
    const err = await outcome;
    expect((err as CliError).message).toMatch(/interrupted/);
    expect(await listDir(folder)).toEqual([]);
  });
});

describe('a backup into a folder it cannot write', () => {
  it('fails with exit 1 and one clear line before pg_dump starts, writing nothing', async () => {
    const base = path.dirname(await world.folder());
    const inTheWay = path.join(base, 'not-a-folder');
    fs.writeFileSync(inTheWay, 'a file\n');
    const err = await runBackup({ db: world.db, outDir: path.join(inTheWay, 'backups'), git: world.git }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(1);
    expect((err as CliError).message).toBe(`backup folder ${inTheWay}/backups is not writable: a file is in the way; nothing was written`);
    expect(fs.readdirSync(base)).toEqual(['not-a-folder']);
  });
});
