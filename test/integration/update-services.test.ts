import { execa } from 'execa';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRelease, sandboxSql } from '../../src/sandbox/index.js';
import type { ServicesInfo } from '../../src/sandbox/types.js';
import { binPath } from '../helpers/cli.js';
import { get, programPids, supervisorctl } from './services-fixtures.js';
import { createUpdateWorld, readJournalIn, release, type UpdateWorld } from './update-fixtures.js';

/**
 * An update of an instance whose services run as CATMAID's administration manual sets them up (supervisord group
 * catmaid: uwsgi, daphne, celery worker and beat; nginx in front with a maintenance page): stop, maintenance
 * page, steps, start, health through nginx. Then a release that breaks the app: the health check fails, the
 * update says how to roll back, and the rollback brings CATMAID back. A celery worker started by hand, which
 * catmaid-tui cannot stop, blocks the update by name.
 */
let world: UpdateWorld;
let services: ServicesInfo;

beforeAll(async () => {
  world = await createUpdateWorld({ services: true });
  services = world.sandbox.services as ServicesInfo;
  await addRelease(world.sandbox.origin, release('2022.02.02', {
    notes: ['The front page needs a new setting.'],
    // The app starts (manage.py check passes) but every page fails: only the health check through nginx sees it.
    files: [{ path: 'django/applications/catmaid/views.py', content: "def index(request):\n    raise RuntimeError('CATMAID_NEW_SETTING is not set')\n" }],
  }), 'broken');
});
afterAll(async () => {
  await world?.destroy();
});

describe('update with CATMAID running under supervisord behind nginx', () => {
  it('stops the services, nginx shows the maintenance page during the steps, then starts them and checks their health', async () => {
    expect((await get(services.url)).status).toBe(200);
    const child = execa(process.execPath, [binPath, '-C', world.root, 'update', '--yes'], { env: { ...world.env, NO_COLOR: '1' }, reject: false, stdin: 'ignore' });
    const seen = new Map<number, string>();
    while (child.exitCode === null) {
      const answer = await get(services.url).catch(() => ({ status: 0, body: '' }));
      if (!seen.has(answer.status)) seen.set(answer.status, answer.body);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const run = await child;
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(seen.get(502)).toContain('CATMAID is down for maintenance');
    const lines = `${run.stdout}`;
    expect(lines).toMatch(/✓ stop the services: supervisorctl stop catmaid: +\d/);
    expect(lines).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/catmaid\/ → 502 \(CATMAID: maintenance\)\n✓ maintenance page/);
    expect(lines).toMatch(/✓ start the services: supervisorctl start catmaid: +\d/);
    expect(lines).toMatch(/✓ health: GET http:\/\/127\.0\.0\.1:\d+\/catmaid\/ answers 2xx\/3xx/);
    expect(lines).toMatch(/websocket \/catmaid\/channels\/updates\/ → 101 upgraded\n✓ health: websocket/);
    expect(lines).toMatch(/celery inspect ping → pong from \S+\n✓ health: celery answers inspect ping/);
    expect(lines).toContain('The services run again and answered the health checks.');
    expect(Object.keys(await programPids(services.supervisorConf)).sort()).toEqual(['celery-beat', 'celery-worker', 'daphne', 'uwsgi']);
    expect((await get(services.url)).status).toBe(200);
    expect((await readJournalIn(world.updatesDir))?.status).toBe('done');
  }, 240_000);

  it('a rollback whose restore fails leaves code and database as the update left them, and CATMAID running', async () => {
    const head = await world.git(['rev-parse', 'HEAD']);
    // A view of the superuser's on treenode: the restore, as the CATMAID role, cannot drop the table under it.
    await sandboxSql(world.sandbox.dir, 'CREATE VIEW public.lab_report AS SELECT count(*) AS nodes FROM treenode');
    try {
      const undo = await world.cli(['update', '--rollback', '--yes']);
      expect(undo.exitCode).toBe(1);
      expect(undo.stdout).toMatch(/✓ stop the services[^]*… restore[^]*✓ start the services/);
      expect(undo.stdout).not.toContain('✓ git');
      expect(undo.stderr).toContain('hint: nothing was rolled back: code and database are as the update left them');
      expect(await world.git(['rev-parse', 'HEAD'])).toBe(head);
      expect((await readJournalIn(world.updatesDir))?.status).toBe('done');
      expect((await supervisorctl(services.supervisorConf, 'status')).stdout).not.toMatch(/STOPPED/);
      expect((await get(services.url)).status).toBe(200);
    } finally {
      await sandboxSql(world.sandbox.dir, 'DROP VIEW public.lab_report');
    }
  }, 240_000);

  it('a failed health check exits 1 with the way back; update --rollback brings CATMAID back', async () => {
    const run = await world.cli(['update', '--to', '2022.02.02', '--yes', '--health-timeout', '8']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/✗ health: GET http:\/\/127\.0\.0\.1:\d+\/catmaid\/ answers 2xx\/3xx/);
    expect(run.stderr).toMatch(/health check failed: health: GET .* → 500/);
    expect(run.stderr).toContain(`roll back with: catmaid-tui -C ${world.root} update --rollback`);
    const undo = await world.cli(['update', '--rollback', '--yes']);
    expect(undo.stderr).toBe('');
    expect(undo.exitCode).toBe(0);
    expect(undo.stdout).toMatch(/✓ stop the services[^]*✓ restore[^]*✓ start the services[^]*health ok: GET .* → 200/);
    expect((await get(services.url)).status).toBe(200);
  }, 240_000);

  it('a celery worker that no service manager runs blocks the update, named; the services are left running', async () => {
    const projects = path.join(world.root, 'django', 'projects');
    const worker = execa(path.join(world.root, 'django', 'env', 'bin', 'celery'), ['-A', 'mysite', 'worker', '-l', 'warning', '-n', 'by-hand@%h', '--pool', 'solo'], { cwd: projects, reject: false });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(worker.exitCode).toBeNull();
      // info lists what pre-flight finds: the worker by hand, and the group's worker and beat with their manager.
      const info = await world.cli(['info']);
      const managed = (await programPids(services.supervisorConf))['celery-worker'];
      expect(info.stdout).toMatch(new RegExp(`celery worker \\((pid |\\d+ processes, pids )[\\d ]*\\b${worker.pid}\\b[\\d ]*\\) · no service manager\\n`));
      expect(info.stdout).toMatch(new RegExp(`celery worker \\([^)]*\\b${managed}\\b[^)]*\\) · supervisord catmaid:celery-worker\\n`));
      expect(info.stdout).toMatch(/celery beat \((pid |\d+ processes, pids )[\d ]+\) · supervisord catmaid:celery-beat\n/);
      const json = JSON.parse((await world.cli(['info', '--json'])).stdout) as { processes: { pid: number; program: string; manager?: unknown }[] };
      expect(json.processes.find((p) => p.pid === worker.pid)).toMatchObject({ program: 'celery worker' });
      expect(json.processes.find((p) => p.pid === worker.pid)?.manager).toBeUndefined();

      const run = await world.cli(['update', '--to', '2022.02.02', '--yes']);
      expect(run.exitCode).toBe(3);
      expect(run.stdout).toContain(`✗ running outside the services catmaid-tui can stop: celery worker (pid ${worker.pid})`);
      expect(run.stderr).toContain(`refused: running outside the services catmaid-tui can stop: celery worker (pid ${worker.pid})`);
      expect((await supervisorctl(services.supervisorConf, 'status')).stdout).not.toMatch(/STOPPED/);
    } finally {
      worker.kill();
      await worker;
    }
    await fs.access(world.root);
  });
});
