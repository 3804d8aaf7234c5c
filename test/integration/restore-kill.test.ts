import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../src/tasks/backup/backup.js';
import { clientConfig } from '../../src/tasks/db/connect.js';
import { alive, childrenNamed, until } from '../helpers/procs.js';
import { changeData, createBackupWorld, dataState, type BackupWorld, type DataState } from './backup-fixtures.js';

let world: BackupWorld;
beforeAll(async () => {
  world = await createBackupWorld();
});
afterAll(async () => {
  await world?.destroy();
});

async function connect(): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(world.db));
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

const waiting = async (client: pg.Client) =>
  (await client.query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted`)).rows[0].n > 0 ? true : undefined;

/** The source tables' data, without the derived edge table (an interrupted restore may leave it to rebuild). */
const data = ({ edges: _edges, ...rest }: DataState) => rest;

/**
 * Restore through the CLI, wait until the loader (psql or pg_restore) is held by `hold`'s lock mid-restore, kill -9
 * catmaid-tui, let the loader go on, and return the data once the loader ended.
 */
async function killedRestore(file: string, program: string, hold: pg.Client): Promise<DataState> {
  const run = world.cli(['restore', file, '--yes', '--no-safety-backup', '--allow-version-mismatch']);
  let loader: number;
  try {
    loader = (await until(() => childrenNamed(run.pid!, program)[0], `${program} to start`)).pid;
    await until(() => waiting(hold), 'the restore to wait for the lock');
    process.kill(run.pid!, 'SIGKILL');
    await run;
  } finally {
    await hold.query('ROLLBACK');
    await hold.end();
  }
  await until(() => (alive(loader) ? undefined : true), `${program} to end`, 60_000);
  return dataState(world.db);
}

/**
 * A hand-made dump that makes the kill land where it hurts most. Its load first waits on an advisory lock the
 * test holds, so psql stops there with the next part of the dump in its pipe when catmaid-tui dies; then come
 * rows of a table of its own, 4096 bytes each from an offset that is a multiple of 4096. Pipes and psql's reads
 * move whole pages, so what psql gets before the end of its input stops at the end of a row: a COPY cut short
 * that looks complete, as in issue 12 (treenode_connector at 170,498 of 200,000 rows).
 */
function heldDump(text: string): string {
  const at = text.indexOf('\nCOPY public.treenode (') + 1;
  let head = `${text.slice(0, at)}SELECT pg_advisory_xact_lock(4242);\nCREATE TABLE public.kill_test (line text);\n`;
  const copy = 'COPY public.kill_test (line) FROM stdin;\n';
  const pad = 4096 - ((Buffer.byteLength(head) + copy.length + 3) % 4096);
  head += `--${'-'.repeat(pad)}\n${copy}`;
  return `${head}${`${'x'.repeat(4095)}\n`.repeat(400)}\\.\n\n${text.slice(at)}`;
}

describe('catmaid-tui killed (kill -9) while a restore loads the dump', () => {
  it('(plain SQL, cut at the end of a row) commits nothing: the database is exactly as it was', async () => {
    const folder = await world.folder();
    const backup = await runBackup({ db: world.db, outDir: folder, git: world.git });
    const file = path.join(path.dirname(folder), 'held.sql');
    await fs.writeFile(file, heldDump(await fs.readFile(backup.path, 'utf8')));
    await changeData(world.db);
    const before = await dataState(world.db);

    const hold = await connect();
    await hold.query('BEGIN');
    await hold.query('SELECT pg_advisory_xact_lock(4242)');
    expect(await killedRestore(file, 'psql', hold)).toEqual(before);
  });

  it('(custom archive, waiting for a table lock) ends entirely old or entirely new, never half', async () => {
    const folder = await world.folder();
    const backup = await runBackup({ db: world.db, outDir: folder, git: world.git, format: 'custom' });
    const restored = data(await dataState(world.db));
    await changeData(world.db);
    const before = await dataState(world.db);

    const hold = await connect();
    await hold.query('BEGIN');
    await hold.query('SELECT 1 FROM treenode_connector LIMIT 1');
    const after = await killedRestore(backup.path, 'pg_restore', hold);
    expect([data(before), restored]).toContainEqual(data(after));
  });
});
