import { execa, type ResultPromise } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../src/tasks/db/connect.js';
import { discoverInstance } from '../../src/tasks/instance/index.js';
import type { DatabaseSettings } from '../../src/tasks/instance/types.js';
import { ProgramWatch } from '../../src/tasks/monitor/program-watch.js';
import { programLine } from '../../src/tasks/monitor/program-summary.js';
import { restartImpact } from '../../src/tasks/monitor/restart-impact.js';
import { takeSnapshot } from '../../src/tasks/monitor/snapshot.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/**
 * Sessions mapped to the real processes that hold them: a uWSGI with two workers and a stats server (each
 * worker connects when it loads the app), a script named like celery's command, psql over the unix socket
 * as the postgres user, and this test process itself over TCP.
 */
let sandbox: TestSandbox;
let db: DatabaseSettings;
let work: string;
const children: ResultPromise[] = [];
let monitor: pg.Client;
let second: pg.Client;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const APP = `import os, psycopg2
conn = psycopg2.connect(host=os.environ['T_HOST'], port=os.environ['T_PORT'], dbname=os.environ['T_DB'],
                        user=os.environ['T_USER'], application_name=os.environ['T_APP'])
def application(env, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [b'ok']
`;

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not seen in ${ms} ms`);
    await sleep(200);
  }
}

beforeAll(async () => {
  sandbox = await createTestSandbox();
  const info = await discoverInstance({ name: 'sb', root: sandbox.root, via: '--catmaid-dir' }, { database: false, processes: false });
  db = info.settings.settings.database;
  work = fs.mkdtempSync(path.join(sandbox.root, 'run-'));
  const env = { PGPASSWORD: db.password, T_HOST: db.host, T_PORT: String(db.port), T_DB: db.name, T_USER: db.user };
  fs.writeFileSync(path.join(work, 'app.py'), APP);
  // no-orphans: the workers end with their master, should a killed test run leave one behind (they spin otherwise).
  fs.writeFileSync(path.join(work, 'uwsgi.ini'), ['[uwsgi]', 'plugins = python3', 'master = true', 'no-orphans = true', 'processes = 2',
    'lazy-apps = true', `socket = ${work}/uwsgi.sock`, `stats = ${work}/stats.sock`, `wsgi-file = ${work}/app.py`, ''].join('\n'));
  children.push(execa('uwsgi', ['--ini', path.join(work, 'uwsgi.ini')], { env: { ...env, T_APP: 'uwsgi app' }, reject: false, cwd: work }));
  const celery = path.join(work, 'celery');
  fs.writeFileSync(celery, `#!/usr/bin/python3\nexec(open('${work}/app.py').read())\nimport time\ntime.sleep(600)\n`, { mode: 0o755 });
  children.push(execa(celery, ['-A', 'mysite', 'worker', '-l', 'info'], { env: { ...env, T_APP: 'celery app' }, reject: false }));
  // psql over the unix socket twice: as the CATMAID role (PostgreSQL shows its client as local) and as the
  // superuser, whose session the CATMAID role sees without address, state or query.
  const psql = (role: string, sql: string) => execa('runuser', ['-u', sandbox.superuser, '--', 'psql', '-h', sandbox.socketDir,
    '-p', String(db.port), '-U', role, '-d', db.name, '-c', sql], { reject: false, stdin: 'ignore', env: { PGPASSWORD: db.password } });
  children.push(psql(db.user, 'SELECT pg_sleep(600)'), psql(sandbox.superuser, 'SELECT pg_sleep(601)'));
  monitor = new pg.Client(clientConfig(db, { application_name: 'monitor test' }));
  await monitor.connect();
  // The monitor leaves its own session out: a second one of this process stands for catmaid-tui's others.
  second = new pg.Client(clientConfig(db, { application_name: 'catmaid-tui' }));
  await second.connect();
}, 240_000);

afterAll(async () => {
  await monitor?.end().catch(() => undefined);
  await second?.end().catch(() => undefined);
  for (const child of children) child.kill('SIGINT');
  await Promise.all(children.map((c) => Promise.race([c, sleep(5000)])));
  for (const child of children) child.kill('SIGKILL');
  await sandbox?.destroy();
});

describe('sessions of CATMAID-like programs, mapped through /proc', () => {
  it('labels uWSGI workers with their number and pid, celery, psql over the unix socket, and catmaid-tui', async () => {
    const watch = new ProgramWatch({ port: db.port, root: work, statsEveryMs: 0, serversEveryMs: 0 });
    const sessions = await until('the sessions of uwsgi, celery and psql', async () => {
      const snap = await takeSnapshot(monitor, { stats: false, allDatabases: true });
      await watch.label(snap.sessions);
      const labels = snap.sessions.map((s) => s.process?.label ?? '');
      const ready = labels.filter((l) => /^uwsgi worker [12]$/.test(l)).length === 2 && labels.includes('celery worker') &&
        labels.filter((l) => l === `psql (${sandbox.superuser})`).length === 2;
      return ready ? snap.sessions : undefined;
    }, 60_000);

    const uwsgiSessions = sessions.filter((s) => s.process?.program === 'uwsgi');
    expect(watch.uwsgi?.workers.map((w) => w.id).sort()).toEqual([1, 2]);
    for (const s of uwsgiSessions) {
      const worker = watch.uwsgi!.workers.find((w) => w.pid === s.process!.pid)!;
      expect(s.process!.label).toBe(`uwsgi worker ${worker.id}`);
      expect(s.app).toBe('uwsgi app');
    }
    const celery = sessions.find((s) => s.process?.program === 'celery-worker')!;
    expect(celery.process!.pid).toBe(children[1].pid);
    const psqls = sessions.filter((s) => s.process?.program === 'psql');
    const visible = psqls.find((s) => s.user === db.user);
    const hidden = psqls.find((s) => s.user === sandbox.superuser);
    expect(visible).toMatchObject({ client: 'local', query: 'SELECT pg_sleep(600)' });
    expect(hidden).toMatchObject({ client: null, query: '<insufficient privilege>' });
    const mine = sessions.find((s) => s.pid === (second as unknown as { processID: number }).processID);
    expect(mine?.process).toMatchObject({ program: 'catmaid-tui', pid: process.pid });
    expect(programLine(watch.programs(sessions))).toBe(
      `uwsgi 2/2 threads (busy 0, idle 2, 0 req) · celery worker 1 · psql (${sandbox.superuser}) 2 · catmaid-tui 1`);
  }, 90_000);

  it('lists what restarting uwsgi or celery would cut, and what is running there', async () => {
    const impact = await restartImpact({ db, root: work, programs: ['uwsgi', 'celery-worker'] });
    expect(impact.sessions.map((s) => s.process!.label).sort()).toEqual(['celery worker', 'uwsgi worker 1', 'uwsgi worker 2']);
    expect(impact.running).toEqual([]);
    const psql = await restartImpact({ db, pids: [children[2].pid!, children[3].pid!] });
    expect(psql.sessions).toHaveLength(2);
    expect(psql.running.map((s) => s.query)).toEqual(['SELECT pg_sleep(600)']);
  }, 60_000);
});
