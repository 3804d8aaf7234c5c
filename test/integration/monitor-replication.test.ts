import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSql } from '../../src/sandbox/index.js';
import { freePort } from '../../src/sandbox/cluster.js';
import { discoverInstance } from '../../src/tasks/instance/index.js';
import type { DatabaseSettings } from '../../src/tasks/instance/types.js';
import { MonitorSession } from '../../src/tasks/monitor/session.js';
import { pgBin } from '../../src/tasks/pg-bin.js';
import { replicationText } from '../../src/screens/monitor/status-text.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/**
 * A real streaming standby of the sandbox cluster (pg_basebackup -R, its own port and socket folder): the
 * monitor on the primary lists it with its lag (hidden without pg_read_all_stats, as PostgreSQL hides it),
 * and on the standby says whose standby it is and how far replay is behind.
 */
let sandbox: TestSandbox;
let db: DatabaseSettings;
let standby: { dir: string; socket: string; port: number; log: string };
const asOwner = (file: string, args: string[]) => execa('runuser', ['-u', sandbox.superuser, '--', file, ...args], { reject: false, stdin: 'ignore' });

beforeAll(async () => {
  sandbox = await createTestSandbox();
  const info = await discoverInstance({ name: 'sb', root: sandbox.root, via: '--catmaid-dir' }, { database: false, processes: false });
  db = info.settings.settings.database;
  // Replication connections match only `replication` lines of pg_hba.conf.
  const hba = path.join(sandbox.pgDir, 'pg_hba.conf');
  fs.appendFileSync(hba, `local   replication   ${sandbox.superuser}   peer\n`);
  await sandboxSql(sandbox.dir, 'SELECT pg_reload_conf()');
  const base = path.join(path.dirname(sandbox.dir), 'standby');
  standby = { dir: path.join(base, 'pg'), socket: path.join(base, 'run'), port: await freePort(), log: path.join(base, 'standby.log') };
  fs.mkdirSync(standby.socket, { recursive: true });
  const owner = Number((await execa('id', ['-u', sandbox.superuser])).stdout);
  for (const dir of [base, standby.socket]) fs.chownSync(dir, owner, owner);
  const backup = await asOwner(pgBin('pg_basebackup', sandbox.pgVersion), ['-D', standby.dir, '-R', '-X', 'stream',
    '-h', sandbox.socketDir, '-p', String(sandbox.port), '-U', sandbox.superuser]);
  if (backup.exitCode !== 0) throw new Error(`pg_basebackup: ${backup.stderr}`);
  fs.appendFileSync(path.join(standby.dir, 'postgresql.auto.conf'),
    `port = ${standby.port}\nunix_socket_directories = '${standby.socket}'\n`);
  const start = await asOwner(pgBin('pg_ctl', sandbox.pgVersion), ['-D', standby.dir, '-l', standby.log, '-w', '-t', '60', 'start']);
  if (start.exitCode !== 0) throw new Error(`standby: ${start.stderr} ${fs.readFileSync(standby.log, 'utf8')}`);
}, 240_000);

afterAll(async () => {
  if (standby) await asOwner(pgBin('pg_ctl', sandbox.pgVersion), ['-D', standby.dir, '-m', 'immediate', 'stop']);
  await sandbox?.destroy();
  if (standby) fs.rmSync(path.dirname(standby.dir), { recursive: true, force: true });
});

async function look(settings: DatabaseSettings) {
  const monitor = new MonitorSession({ db: settings, connMaxAge: 0 });
  try {
    return await monitor.refresh();
  } finally {
    await monitor.close();
  }
}

describe('replication in the monitor', () => {
  it('lists the standby on the primary, its lag hidden without pg_read_all_stats and shown with it', async () => {
    let state = await look(db);
    for (let i = 0; i < 50 && state.replication.standbys.length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      state = await look(db);
    }
    expect(state.replication).toMatchObject({ inRecovery: false, standbys: [{ name: 'walreceiver', state: null, replayLag: null }] });
    expect(replicationText(state.replication)).toBe('replication: walreceiver hidden lag hidden');

    await sandboxSql(sandbox.dir, `GRANT pg_read_all_stats TO ${db.user}`);
    await sandboxSql(sandbox.dir, 'CREATE TABLE replicated AS SELECT generate_series(1, 1000) AS id');
    state = await look(db);
    expect(state.replication.standbys).toEqual([expect.objectContaining({ name: 'walreceiver', state: 'streaming' })]);
    expect(state.replication.standbys[0].behindBytes).toBeGreaterThanOrEqual(0);
    expect(replicationText(state.replication)).toMatch(/^replication: walreceiver streaming lag \d/);
  }, 60_000);

  it('says on the standby whose standby it is and how far replay is behind', async () => {
    const state = await look({ ...db, port: standby.port });
    expect(state.status.connected).toBe(true);
    expect(state.replication.inRecovery).toBe(true);
    expect(state.replication.replayDelay).toBeGreaterThanOrEqual(0);
    expect(state.replication.replayBehindBytes).toBeGreaterThanOrEqual(0);
    expect(replicationText(state.replication)).toMatch(/^standby of \S+ · replay delay \S+ s · \d+ B received, not replayed$/);
  }, 60_000);
});
