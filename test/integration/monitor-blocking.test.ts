import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../src/tasks/db/connect.js';
import { discoverInstance } from '../../src/tasks/instance/index.js';
import type { DatabaseSettings } from '../../src/tasks/instance/types.js';
import { blockingTree } from '../../src/tasks/monitor/blocking.js';
import { parseCsv } from '../../src/tasks/monitor/export.js';
import { MonitorSession } from '../../src/tasks/monitor/session.js';
import { privateHome, runCli } from '../helpers/cli.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/**
 * On the sandbox: a three-level lock chain (A holds, B waits for A while holding what C waits for), read by the
 * monitor as a tree and freed by terminating its root; filters and minimum durations of `monitor --once`
 * checked against the same question asked in SQL; the CSV export against `--once --json`.
 */
let sandbox: TestSandbox;
let db: DatabaseSettings;
let home: string;
const clients: pg.Client[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pidOf = (client: pg.Client): number => (client as unknown as { processID: number }).processID;

async function connect(app: string): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(db, { application_name: app }));
  client.on('error', () => undefined);
  await client.connect();
  clients.push(client);
  return client;
}

beforeAll(async () => {
  sandbox = await createTestSandbox();
  const info = await discoverInstance({ name: 'sb', root: sandbox.root, via: '--catmaid-dir' }, { database: false, processes: false });
  db = info.settings.settings.database;
  home = `${sandbox.dir}-home`;
  const setup = await connect('setup');
  await setup.query('CREATE TABLE chain_a (id int); CREATE TABLE chain_b (id int)');
}, 240_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await sandbox?.destroy();
});

const cli = (...args: string[]) => runCli(['-C', sandbox.root, 'monitor', '--once', '--interval', '0.5', ...args],
  { env: { ...privateHome(home), PGPASSWORD: db.password } });

describe('a three-level blocking chain', () => {
  it('shows as a tree under its root, and terminating the root frees the rest', async () => {
    const a = await connect('chain root');
    const b = await connect('chain middle');
    const c = await connect('chain leaf');
    await a.query('BEGIN');
    await a.query('LOCK TABLE chain_a IN EXCLUSIVE MODE');
    // One query string each, committed at its end: B takes chain_b, then waits for chain_a; C waits for chain_b.
    const bDone = b.query('BEGIN; LOCK TABLE chain_b IN EXCLUSIVE MODE; LOCK TABLE chain_a IN EXCLUSIVE MODE; COMMIT');
    await sleep(300);
    const cDone = c.query('BEGIN; LOCK TABLE chain_b IN EXCLUSIVE MODE; COMMIT');
    await sleep(500);

    const monitor = new MonitorSession({ db, connMaxAge: 0 });
    try {
      const state = await monitor.refresh();
      const tree = blockingTree(state.snapshot!.sessions);
      expect(tree.nodes.map((n) => `${n.prefix}${n.session.pid}`)).toEqual([`${pidOf(a)}`, `└─ ${pidOf(b)}`, `   └─ ${pidOf(c)}`]);
      expect(tree.nodes[0]).toMatchObject({ blocks: 2, session: { state: 'idle in transaction', app: 'chain root' } });
      expect(tree.nodes[0].session.xactAge).toBeGreaterThan(0.5);

      expect(await monitor.signal({ pid: pidOf(a), user: db.user }, 'terminate')).toBe(true);
      await Promise.all([bDone, cDone]);
      // A terminated backend leaves pg_stat_activity when its process has exited, which takes a moment under load.
      let after = await monitor.refresh();
      for (let i = 0; i < 50 && after.snapshot!.sessions.some((s) => s.pid === pidOf(a)); i += 1) {
        await sleep(200);
        after = await monitor.refresh();
      }
      const waiting = after.snapshot!.sessions.filter((s) => s.waitEventType === 'Lock');
      expect(waiting).toEqual([]);
      expect(blockingTree(after.snapshot!.sessions).nodes).toEqual([]);
      expect(after.snapshot!.sessions.map((s) => s.pid)).not.toContain(pidOf(a));
    } finally {
      await monitor.close();
    }
  }, 60_000);
});

describe('filters and minimum duration of monitor --once, against SQL', () => {
  let sql: pg.Client;
  beforeAll(async () => {
    sql = await connect('the test itself');
    for (const [app, hold] of [['report one', true], ['report two', false], ['shell', true]] as const) {
      const client = await connect(app);
      if (hold) {
        await client.query('BEGIN');
        await client.query('SELECT 1');
      }
    }
    const slow = await connect('report slow');
    void slow.query('SELECT pg_sleep(60)').catch(() => undefined);
    await sleep(2500);
  }, 30_000);

  const pids = async (where: string): Promise<number[]> =>
    (await sql.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend'
      AND datname = current_database() AND pid <> pg_backend_pid() AND ${where} ORDER BY pid`)).rows.map((r) => r.pid);

  const once = async (...args: string[]): Promise<number[]> => {
    const result = await cli('--json', ...args);
    expect(result.exitCode, result.stderr).toBe(0);
    return (JSON.parse(result.stdout).sessions as { pid: number }[]).map((s) => s.pid).filter((pid) => pid !== pidOf(sql)).sort((x, y) => x - y);
  };

  it('selects the same sessions as the SQL question', async () => {
    expect(await once('--filter', 'app:^report')).toEqual(await pids("application_name ~* '^report'"));
    expect(await once('--filter', 'app:^report', '--filter', 'state:idle.in')).toEqual(
      await pids("application_name ~* '^report' AND state ~* 'idle.in'"));
    expect(await once('--filter', 'query:pg_sleep', '--min-duration', '2')).toEqual(
      await pids("query ~* 'pg_sleep' AND state <> 'idle' AND now() - query_start >= interval '2 s'"));
    expect(await once('--duration', 'transaction', '--min-duration', '2s', '--filter', 'app:report|shell')).toEqual(
      await pids("application_name ~* 'report|shell' AND now() - xact_start >= interval '2 s'"));
    expect((await once('--filter', 'app:^report')).length).toBe(3);
  }, 120_000);

  it('refuses a bad filter or duration with exit 2 and one line', async () => {
    const bad = await cli('--json', '--filter', 'colour:red');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/unknown filter column "colour"/);
    expect((await cli('--min-duration', 'soon')).exitCode).toBe(2);
    expect((await cli('--duration', 'forever')).exitCode).toBe(2);
  }, 60_000);

  it('exports as CSV the rows that --once --json prints', async () => {
    const json = JSON.parse((await cli('--json', '--filter', 'app:^(report|shell)')).stdout).sessions as Record<string, unknown>[];
    const csv = parseCsv((await cli('--csv', '--filter', 'app:^(report|shell)')).stdout);
    expect(csv.map((r) => `${r.pid} ${r.app}`), JSON.stringify(json.map((s) => `${s.pid} ${s.app}`))).toHaveLength(json.length);
    expect(csv.map((r) => Number(r.pid))).toEqual(json.map((s) => s.pid));
    for (const [i, row] of csv.entries()) {
      const s = json[i];
      expect(row).toMatchObject({ user: s.user, app: s.app, database: s.database, state: s.state, query: s.query,
        program: (s.process as { program: string } | null)?.program ?? '' });
    }
  }, 60_000);
});
