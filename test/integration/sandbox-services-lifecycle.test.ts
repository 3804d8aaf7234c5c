import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySandbox, destroySandbox, startSandboxServices } from '../../src/sandbox/index.js';
import { MARKER } from '../../src/sandbox/services/processes.js';
import { runCli } from '../helpers/cli.js';
import { createTestSandbox, type TestSandboxWithServices } from '../helpers/sandbox.js';
import { get, processes, processesUnder, programPids } from './services-fixtures.js';

let sb: TestSandboxWithServices;

/** Processes started for this sandbox's services (they carry its marker in their environment). */
const marked = () =>
  processes().filter((p) => {
    try {
      return fs.readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\0').includes(`${MARKER}=${sb.dir}`);
    } catch {
      return false;
    }
  });
const masterPid = (pidFile: string) => Number(fs.readFileSync(pidFile, 'utf8').trim());
const supervisordPidFile = () => path.join(path.dirname(sb.services.supervisorSocket), 'supervisord.pid');

beforeAll(async () => {
  sb = await createTestSandbox({ services: true });
});

afterAll(async () => {
  if (sb && fs.existsSync(sb.dir)) await sb.destroy();
});

describe("the sandbox's services over stop, kill -9 and destroy", () => {
  it('start copes with a killed run: its orphans are ended, its stale pid and socket files replaced', { timeout: 150_000 }, async () => {
    const before = await programPids(sb.services.supervisorConf);
    const orphans = marked().map((p) => p.pid);
    process.kill(masterPid(supervisordPidFile()), 'SIGKILL');
    process.kill(masterPid(sb.services.nginx.pidFile), 'SIGKILL');
    // uWSGI, daphne, celery and nginx's worker live on without their parents, holding the sockets.
    expect(marked().length).toBeGreaterThan(4);
    const started = await runCli(['sandbox', 'services', 'start', sb.dir], { timeout: 120_000 });
    expect(started.stderr).toBe('');
    expect(started.exitCode).toBe(0);
    const after = await programPids(sb.services.supervisorConf);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    const alive = new Set(processes().map((p) => p.pid));
    expect(orphans.filter((pid) => alive.has(pid))).toEqual([]);
    // The port was freed with the orphans: same URL as before.
    const status = JSON.parse((await runCli(['sandbox', 'status', sb.dir, '--json'])).stdout) as { services: { url: string } };
    expect(status.services.url).toBe(sb.services.url);
    expect((await get(sb.services.url)).status).toBe(200);
  });

  it('two starts at once run the services once', async () => {
    expect((await runCli(['sandbox', 'services', 'stop', sb.dir])).exitCode).toBe(0);
    const both = await Promise.all([0, 1].map(() => runCli(['sandbox', 'services', 'start', sb.dir], { timeout: 150_000 })));
    expect(both.map((r) => r.exitCode)).toEqual([0, 0]);
    const running = (needle: string) => processes().filter((p) => p.argv.join(' ').includes(needle));
    expect(running(`supervisord -c ${sb.services.supervisorConf}`)).toHaveLength(1);
    const uwsgi = running(path.join(sb.dir, 'services', 'uwsgi', 'catmaid.ini'));
    expect(uwsgi.filter((p) => !uwsgi.some((q) => q.pid === p.ppid))).toHaveLength(1);
  }, 180_000);

  it('stop ends every process of the services, each by its own stop signal', async () => {
    const log = path.join(sb.dir, 'services', 'log', 'supervisord.log');
    const offset = fs.statSync(log).size;
    const stopped = await runCli(['sandbox', 'stop', sb.dir]);
    expect(stopped.exitCode).toBe(0);
    // Every program stopped cleanly; none waited out stopwaitsecs to be killed.
    const stops = fs.readFileSync(log, 'utf8').slice(offset);
    expect(stops).not.toContain('SIGKILL');
    for (const name of ['uwsgi', 'daphne', 'celery-worker', 'celery-beat']) expect(stops).toContain(`stopped: ${name} (exit status 0)`);
    expect(marked()).toEqual([]);
    expect(processesUnder(sb.dir)).toEqual([]);
    const status = JSON.parse((await runCli(['sandbox', 'status', sb.dir, '--json'])).stdout) as { running: boolean; services: { running: boolean } };
    expect(status).toMatchObject({ running: false, services: { running: false } });
  });

  it('a copy of the stopped sandbox runs services of its own, on another port', async () => {
    const other = path.join(path.dirname(sb.dir), 'copy');
    try {
      await copySandbox(sb.dir, other);
      const copy = await startSandboxServices(other);
      expect(copy.services?.url).not.toBe(sb.services.url);
      const page = await get(copy.services?.url ?? '');
      expect(page.status).toBe(200);
      const site = fs.readFileSync(copy.services?.nginx.siteFile ?? '', 'utf8');
      expect(site).toContain(`alias ${other}/catmaid/django/static/;`);
      expect(site).not.toContain(sb.dir + path.sep);
      expect(fs.readFileSync(path.join(other, 'catmaid/django/projects/mysite/settings.py'), 'utf8')).not.toContain(sb.dir + path.sep);
    } finally {
      await destroySandbox(other);
    }
  }, 180_000);

  it('start --services brings them back; destroy then leaves no process whose command line or working directory is under the sandbox', async () => {
    const started = await runCli(['sandbox', 'start', sb.dir, '--services'], { timeout: 150_000 });
    expect(started.exitCode).toBe(0);
    expect(started.stdout).toMatch(/services\s+running/);
    expect((await get(sb.services.url)).status).toBe(200);
    // Something else running from the sandbox, as an admin's shell command would.
    const stray = execa('sleep', ['600'], { cwd: sb.root, reject: false, detached: true });
    expect(processesUnder(sb.dir).length).toBeGreaterThan(5);
    const destroyed = await runCli(['sandbox', 'destroy', sb.dir]);
    expect(destroyed.exitCode).toBe(0);
    expect((await stray).signal).toBe('SIGTERM');
    expect(processesUnder(sb.dir)).toEqual([]);
    expect(fs.existsSync(sb.dir)).toBe(false);
  }, 180_000);
});
