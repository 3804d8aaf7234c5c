import { execa } from 'execa';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../src/tasks/db/connect.js';
import { discoverInstance } from '../../src/tasks/instance/index.js';
import type { DatabaseSettings } from '../../src/tasks/instance/types.js';
import { blockingTree } from '../../src/tasks/monitor/blocking.js';
import { restartImpact } from '../../src/tasks/monitor/restart-impact.js';
import { MonitorSession, type MonitorState } from '../../src/tasks/monitor/session.js';
import { createTestSandbox, type TestSandboxWithServices } from '../helpers/sandbox.js';
import { eventually, get, processes, programPids } from './services-fixtures.js';

/**
 * The monitor on the sandbox with CATMAID's services (supervisord: uWSGI with two workers and a stats socket,
 * daphne, celery worker and beat): a lock on `project` makes uWSGI workers (serving /catmaid/) and a celery task
 * wait in the database, where the monitor must name each session's program and pid.
 */
let sb: TestSandboxWithServices;
let db: DatabaseSettings;
let locker: pg.Client;

beforeAll(async () => {
  sb = await createTestSandbox({ services: true });
  const info = await discoverInstance({ name: 'sb', root: sb.root, via: '--catmaid-dir' }, { database: false, processes: false });
  db = info.settings.settings.database;
  locker = new pg.Client(clientConfig(db, { application_name: 'locker' }));
  await locker.connect();
}, 300_000);

afterAll(async () => {
  await locker?.end().catch(() => undefined);
  await sb?.destroy();
});

describe("the monitor on a sandbox running CATMAID's services", () => {
  it('labels the sessions of uWSGI workers and the celery worker with program and pid, and lists what a restart cuts', async () => {
    const pids = await programPids(sb.services.supervisorConf);
    const workers = processes().filter((p) => p.ppid === pids.uwsgi).map((p) => p.pid);
    const celeryChildren = (): number[] => processes().filter((p) => p.ppid === pids['celery-worker']).map((p) => p.pid);
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE project IN ACCESS EXCLUSIVE MODE');
    const pages = [get(sb.services.url), get(sb.services.url), get(sb.services.url)];
    const python = path.join(sb.root, 'django', 'env', 'bin', 'python');
    const task = execa(python, ['-c', "from mysite.celery import app; print(app.send_task('catmaid.ping').get(timeout=60))"],
      { cwd: path.join(sb.root, 'django', 'projects'), env: { DJANGO_SETTINGS_MODULE: 'mysite.settings' }, reject: false });
    const monitor = new MonitorSession({ db, connMaxAge: 0, root: sb.root });
    try {
      const state = await eventually<MonitorState>(() => monitor.refresh(), (s) => {
        const labels = s.snapshot?.sessions.map((x) => x.process?.label ?? '') ?? [];
        return labels.filter((l) => /^uwsgi worker [12]$/.test(l)).length >= 2 && labels.includes('celery worker');
      }, 60_000);
      const sessions = state.snapshot!.sessions;
      for (const s of sessions.filter((x) => x.process?.program === 'uwsgi')) {
        expect(workers).toContain(s.process!.pid);
        const stats = state.uwsgi!.workers.find((w) => w.pid === s.process!.pid)!;
        expect(s.process!.label).toBe(`uwsgi worker ${stats.id}`);
        expect(s).toMatchObject({ state: 'active', waitEventType: 'Lock' });
      }
      const celery = sessions.find((s) => s.process?.program === 'celery-worker')!;
      expect([pids['celery-worker'], ...celeryChildren()]).toContain(celery.process!.pid);
      expect(state.programs.find((p) => p.name === 'uwsgi')).toMatchObject({ threads: 4 });
      expect(state.uwsgi!.workers.map((w) => w.id).sort()).toEqual([1, 2]);

      // The lock holder is the root of the tree; every waiting service session hangs under it.
      const tree = blockingTree(sessions);
      expect(tree.roots.map((s) => s.app)).toEqual(['locker']);
      expect(tree.nodes[0].blocks).toBeGreaterThanOrEqual(3);

      const impact = await restartImpact({ db, root: sb.root, programs: ['uwsgi'] });
      expect(impact.running.length).toBeGreaterThanOrEqual(2);
      expect(impact.running.every((s) => /^uwsgi worker [12]$/.test(s.process!.label))).toBe(true);
      const celeryImpact = await restartImpact({ db, root: sb.root, pids: [pids['celery-worker']] });
      expect(celeryImpact.sessions.map((s) => s.process!.label)).toContain('celery worker');
    } finally {
      await locker.query('COMMIT');
      await monitor.close();
    }
    for (const page of await Promise.all(pages)) expect(page.status).toBe(200);
    expect((await task).stdout).toContain('pong');
  }, 180_000);
});
