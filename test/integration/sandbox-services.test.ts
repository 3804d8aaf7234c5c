import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PROGRAMS } from '../../src/sandbox/services/index.js';
import { runCli } from '../helpers/cli.js';
import { createTestSandbox, type TestSandboxWithServices } from '../helpers/sandbox.js';
import { eventually, get, pidOfLocalPort, processes, programPids, supervisorctl } from './services-fixtures.js';

let sb: TestSandboxWithServices;
const projects = () => path.join(sb.root, 'django', 'projects');
const password = () => /'PASSWORD': '([^']*)'/.exec(fs.readFileSync(path.join(projects(), 'mysite', 'settings.py'), 'utf8'))?.[1] ?? '';
const client = async () => {
  const c = new pg.Client({ host: sb.host, port: sb.port, user: sb.user, database: sb.database, password: password() });
  await c.connect();
  return c;
};

beforeAll(async () => {
  const started = Date.now();
  sb = await createTestSandbox({ services: true });
  process.stdout.write(`createTestSandbox({ services: true }): ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
});

afterAll(async () => {
  await sb?.destroy();
});

describe("a sandbox running CATMAID's services", () => {
  it('runs the group catmaid under its own supervisord, every program in django/projects/', async () => {
    const status = await supervisorctl(sb.services.supervisorConf, 'status');
    for (const name of PROGRAMS) expect(status.stdout).toMatch(new RegExp(`^catmaid:${name}\\s+RUNNING\\s+pid \\d+`, 'm'));
    expect(sb.services.supervisorSocket.startsWith(sb.dir)).toBe(true);
    const group = fs.readFileSync(path.join(path.dirname(sb.services.supervisorConf), 'conf.d', 'catmaid.conf'), 'utf8');
    expect(group.match(/^directory = (.*)$/gm)).toEqual(PROGRAMS.map(() => `directory = ${projects()}/`));
    expect(group).toMatch(/\[program:uwsgi\][^[]*stopsignal = INT/);
    expect(group).toContain(`[group:catmaid]\nprograms = ${PROGRAMS.join(',')}`);
    // The programs really run there (uWSGI then moves to django/, as its ini says, like the manual's).
    const pids = await programPids(sb.services.supervisorConf);
    const cwd = (pid: number) => fs.readlinkSync(`/proc/${pid}/cwd`);
    expect([cwd(pids.daphne), cwd(pids['celery-worker']), cwd(pids['celery-beat'])]).toEqual([projects(), projects(), projects()]);
    expect(cwd(pids.uwsgi)).toBe(path.join(sb.root, 'django'));
    const workers = processes().filter((p) => p.ppid === pids.uwsgi);
    expect(workers.length).toBeGreaterThanOrEqual(2);
  });

  it('answers /catmaid/ through nginx; a uWSGI worker queries the database for it', async () => {
    expect(sb.services.url).toBe(`http://127.0.0.1:${sb.services.nginx.port}/catmaid/`);
    const locker = await client();
    const watcher = await client();
    try {
      // Hold the page's table so the worker's query waits, visibly, in pg_stat_activity.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE project IN ACCESS EXCLUSIVE MODE');
      const page = get(sb.services.url);
      const waiting = await eventually(
        async () => (await watcher.query<{ client_port: number }>(
          "SELECT client_port FROM pg_stat_activity WHERE usename = $1 AND wait_event_type = 'Lock'", [sb.user])).rows,
        (rows) => rows.length > 0,
      );
      const worker = pidOfLocalPort(waiting[0].client_port);
      const uwsgiMaster = (await programPids(sb.services.supervisorConf)).uwsgi;
      expect(processes().find((p) => p.pid === worker)?.ppid).toBe(uwsgiMaster);
      await locker.query('COMMIT');
      const { status, body } = await page;
      expect(status).toBe(200);
      expect(body).toContain('<title>CATMAID</title>');
      expect(body).toContain('<li>Sandbox project</li>');
      expect(body).toContain('<script src="/catmaid/static/catmaid/catmaid.js">');
    } finally {
      await locker.end();
      await watcher.end();
    }
  });

  it('serves collected static files at /catmaid/static/ and extension files at STATIC_EXTENSION_URL', async () => {
    const collected = fs.readFileSync(path.join(sb.root, 'django', 'static', 'catmaid', 'catmaid.js'), 'utf8');
    expect(await get(`${sb.services.url}static/catmaid/catmaid.js`)).toEqual({ status: 200, body: collected });
    const settings = fs.readFileSync(path.join(projects(), 'mysite', 'settings.py'), 'utf8');
    expect(settings).toMatch(/^FORCE_SCRIPT_NAME = '\/catmaid'$/m);
    expect(settings).toMatch(/^STATIC_URL = '\/catmaid\/static\/'$/m);
    expect(settings).toMatch(/^STATIC_EXTENSION_URL = '\/catmaid\/staticext\/'$/m);
    fs.writeFileSync(path.join(sb.root, 'django', 'staticext', 'probe.js'), 'window.probe = 1;\n');
    try {
      expect(await get(`${sb.services.url}staticext/probe.js`)).toEqual({ status: 200, body: 'window.probe = 1;\n' });
    } finally {
      fs.rmSync(path.join(sb.root, 'django', 'staticext', 'probe.js'));
    }
  });

  it('upgrades the websocket route through nginx to daphne, which answers', async () => {
    const url = `${sb.services.url.replace('http:', 'ws:')}channels/updates/`;
    const ws = new WebSocket(url);
    const upgrade = new Promise<number>((resolve) => ws.once('upgrade', (res) => resolve(res.statusCode ?? 0)));
    const messages: string[] = [];
    ws.on('message', (data: WebSocket.RawData) => messages.push(data.toString()));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    expect(await upgrade).toBe(101);
    ws.send('ping');
    await eventually(async () => messages, (m) => m.length >= 2, 10_000);
    expect(JSON.parse(messages[0])).toMatchObject({ type: 'hello' });
    expect(messages[1]).toBe('pong');
    ws.close();
  });

  it('has a celery worker that answers a ping, and runs a task that reads the database', async () => {
    const celery = path.join(sb.root, 'django', 'env', 'bin', 'celery');
    const ping = await execa(celery, ['-A', 'mysite', 'inspect', 'ping', '-t', '3'], { cwd: projects(), reject: false });
    expect(ping.stdout).toMatch(/celery@\S+: OK\s+pong/);
    const python = path.join(sb.root, 'django', 'env', 'bin', 'python');
    const script = "from mysite.celery import app; import json; print(json.dumps(app.send_task('catmaid.ping').get(timeout=30)))";
    const trip = await execa(python, ['-c', script], { cwd: projects(), env: { DJANGO_SETTINGS_MODULE: 'mysite.settings' } });
    const answer = JSON.parse(trip.stdout) as { pong: boolean; projects: number; pid: number };
    expect(answer).toMatchObject({ pong: true, projects: 2 });
    const worker = (await programPids(sb.services.supervisorConf))['celery-worker'];
    expect(processes().find((p) => p.pid === answer.pid)?.ppid).toBe(worker);
  });

  it('answers with the maintenance page (status 502) while uWSGI is stopped', async () => {
    const page = fs.readFileSync(sb.services.maintenancePage, 'utf8');
    expect((await supervisorctl(sb.services.supervisorConf, 'stop', 'catmaid:uwsgi')).exitCode).toBe(0);
    try {
      expect(await get(sb.services.url)).toEqual({ status: 502, body: page });
      expect(page).toContain('maintenance');
    } finally {
      await supervisorctl(sb.services.supervisorConf, 'start', 'catmaid:uwsgi');
    }
    await eventually(() => get(sb.services.url), (r) => r.status === 200);
  });

  it('refuses, before building anything, a folder path its configuration files cannot hold', async () => {
    const target = path.join(path.dirname(sb.dir), 'with space');
    const result = await runCli(['sandbox', 'create', target, '--services']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('need a folder path of letters, digits');
    expect(fs.existsSync(target)).toBe(false);
  });

  it('leaves the checkout clean for git, and reports the services in status --json', async () => {
    expect((await execa('git', ['-C', sb.root, 'status', '--porcelain'])).stdout).toBe('');
    const status = await runCli(['sandbox', 'status', sb.dir, '--json']);
    expect(status.exitCode).toBe(0);
    const { destroy: _, ...info } = sb;
    expect(JSON.parse(status.stdout).services).toEqual({ ...info.services, running: true });
    const services = await runCli(['sandbox', 'services', 'status', sb.dir, '--json']);
    const programs = (JSON.parse(services.stdout) as { programs: { name: string; state: string }[] }).programs;
    expect(programs.map((p) => `${p.name} ${p.state}`).sort()).toEqual(PROGRAMS.map((n) => `catmaid:${n} RUNNING`).sort());
  });
});
