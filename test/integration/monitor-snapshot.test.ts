import { Command } from 'commander';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerMonitor } from '../../src/commands/monitor.js';
import { startLoad, type LoadHandle } from '../../src/sandbox/load/index.js';
import { clientConfig } from '../../src/tasks/db/connect.js';
import { discoverInstance } from '../../src/tasks/instance/index.js';
import type { DatabaseSettings } from '../../src/tasks/instance/types.js';
import { signalBackend } from '../../src/tasks/monitor/actions.js';
import { leakVerdict, type LeakPoint } from '../../src/tasks/monitor/leak.js';
import { readServerInfo, takeSnapshot } from '../../src/tasks/monitor/snapshot.js';
import { privateHome, runCli } from '../helpers/cli.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let sandbox: TestSandbox;
let db: DatabaseSettings;
const clients: pg.Client[] = [];

async function connect(app: string): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(db, { application_name: app }));
  client.on('error', () => undefined);
  await client.connect();
  clients.push(client);
  return client;
}

const pidOf = (client: pg.Client): number => (client as unknown as { processID: number }).processID;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  sandbox = await createTestSandbox();
  const info = await discoverInstance({ name: 'sb', root: sandbox.root, via: '--catmaid-dir' }, { database: false, processes: false });
  db = info.settings.settings.database;
}, 240_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await sandbox?.destroy();
});

describe('a snapshot of a sandbox with known sessions', () => {
  let load: LoadHandle;
  let monitor: pg.Client;
  const known: Record<string, pg.Client> = {};

  beforeAll(async () => {
    // No workers: their requests would flicker between idle and active. The rest holds still.
    load = await startLoad({ db, workers: 0, longQueries: 1, blocked: true });
    known.idle1 = await connect('admin shell');
    known.idle2 = await connect('admin shell');
    known.inTxn = await connect('django shell');
    await known.inTxn.query('BEGIN');
    await known.inTxn.query('SELECT 1');
    known.aborted = await connect('django shell');
    await known.aborted.query('BEGIN');
    await known.aborted.query('SELECT 1/0').catch(() => undefined);
    monitor = await connect('catmaid-tui monitor');
    await sleep(300);
  }, 60_000);

  afterAll(async () => {
    await load.stop();
  });

  it('counts each state right and leaves its own connection out', async () => {
    const snap = await takeSnapshot(monitor, { role: db.user, size: true });
    expect(snap.sessions.map((s) => s.pid)).not.toContain(pidOf(monitor));
    expect(snap.ownPid).toBe(pidOf(monitor));
    // holder + idle-in-txn client; waiter + long query; two idle admin shells; one aborted.
    expect(snap.counts).toMatchObject({
      total: 7, active: 2, idle: 2, idleInTransaction: 2, idleInTransactionAborted: 1, waiting: 1, hidden: 0, role: 7,
    });
    expect(snap.counts.clusterTotal).toBeGreaterThanOrEqual(7);
    expect(snap.stats?.xacts).toBeGreaterThan(0);
    expect(snap.stats?.sizeBytes).toBeGreaterThan(1_000_000);
  });

  it('finds the pid that blocks the waiting query, and names the apps', async () => {
    const snap = await takeSnapshot(monitor, { role: db.user });
    const waiter = snap.sessions.find((s) => s.pid === load.blocked?.waiter);
    expect(waiter).toMatchObject({ state: 'active', waitEventType: 'Lock', blockedBy: [load.blocked!.holder], app: 'gunicorn' });
    const holder = snap.sessions.find((s) => s.pid === load.blocked?.holder);
    expect(holder).toMatchObject({ state: 'idle in transaction', blockedBy: [] });
    expect(holder?.xactAge).toBeGreaterThan(0);
    const long = snap.sessions.find((s) => s.app === 'catmaid-worker');
    expect(long?.query).toContain('pg_sleep');
    expect(snap.sessions.find((s) => s.pid === pidOf(known.idle1))).toMatchObject({ state: 'idle', client: '127.0.0.1' });
  });

  it('lets the CATMAID role cancel its own long query and terminate its own session', async () => {
    const me = await readServerInfo(monitor);
    expect(me).toMatchObject({ role: db.user, superuser: false, readAllStats: false, ownPid: pidOf(monitor) });
    const long = load.sessions().find((s) => s.role === 'long')!;
    expect(await signalBackend(monitor, me, { pid: long.pid, user: db.user }, 'cancel')).toBe(true);
    expect(await signalBackend(monitor, me, { pid: pidOf(known.idle2), user: db.user }, 'terminate')).toBe(true);
    await sleep(300);
    const snap = await takeSnapshot(monitor, { role: db.user });
    expect(snap.sessions.map((s) => s.pid)).not.toContain(pidOf(known.idle2));
    await expect(signalBackend(monitor, me, { pid: 1, user: 'postgres' }, 'cancel')).rejects.toThrow(/superuser/);
  });
});

describe('the load generator', () => {
  it('leaks connections the leak watch calls rising, and stop() closes every one', async () => {
    const monitor = await connect('catmaid-tui monitor');
    const before = (await takeSnapshot(monitor, { role: db.user, stats: false })).counts.role;
    const load = await startLoad({ db, workers: 2, connMaxAge: 60, longQueries: 0, blocked: false, leak: true, leakEveryMs: 100 });
    const points: LeakPoint[] = [];
    for (let i = 0; i < 12; i += 1) {
      const snap = await takeSnapshot(monitor, { role: db.user, stats: false });
      points.push({ at: snap.takenAt, role: snap.counts.role, workers: 2 });
      await sleep(250);
    }
    const verdict = leakVerdict(points, { connMaxAge: 60, minSpanMs: 2000 });
    expect(verdict.trend).toBe('rising');
    expect(verdict.leak).toBe(true);
    expect(load.stats().leaked).toBeGreaterThan(10);
    await load.stop();
    await sleep(200);
    expect((await takeSnapshot(monitor, { role: db.user, stats: false })).counts.role).toBe(before);
  }, 30_000);

  it('refuses anything but 127.0.0.1', async () => {
    await expect(startLoad({ db: { ...db, host: 'db.example.org' } })).rejects.toThrow(/only sent to 127.0.0.1/);
  });
});

describe('catmaid-tui monitor --once --json', () => {
  it('prints one snapshot with rates and no password', async () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      const program = new Command().option('-C, --catmaid-dir <dir>').exitOverride();
      registerMonitor(program);
      await program.parseAsync(['node', 'catmaid-tui', '-C', sandbox.root, 'monitor', '--once', '--json', '--interval', '0.5']);
    } finally {
      spy.mockRestore();
    }
    const text = out.join('');
    expect(text).not.toContain(db.password);
    const json = JSON.parse(text);
    expect(json.role).toBe(db.user);
    expect(json.server.version).toMatch(/^\d+/);
    expect(json.rates.tps).toBeGreaterThanOrEqual(0);
    expect(Array.isArray(json.sessions)).toBe(true);
  }, 60_000);
});

describe('catmaid-tui monitor --once --json when only the static reading of the settings works (broken virtualenv)', () => {
  let broken: TestSandbox;
  beforeAll(async () => {
    broken = await createTestSandbox({ brokenVenv: true });
  }, 240_000);
  afterAll(async () => {
    await broken?.destroy();
  });

  it("watches the database settings.py names, as the CATMAID role, and prints no password", async () => {
    const info = await discoverInstance({ name: 'sb', root: broken.root, via: '--catmaid-dir' }, { database: false, processes: false });
    expect(info.settings.source).toBe('static');
    const found = info.settings.settings.database;
    expect(found).toMatchObject({ name: broken.database, user: broken.user, host: broken.host, port: broken.port });
    const result = await runCli(['-C', broken.root, 'monitor', '--once', '--json', '--interval', '0.5'], { env: privateHome(broken.dir) });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).not.toContain(found.password);
    const json = JSON.parse(result.stdout);
    expect(json.role).toBe(broken.user);
    expect(json.server.version).toMatch(new RegExp(`^${broken.pgVersion}\\.`));
    expect(Array.isArray(json.sessions)).toBe(true);
  }, 60_000);
});
