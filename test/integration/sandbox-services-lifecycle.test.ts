import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  it('start copes with a killed run: its orphans are ended, its stale pid and socket files replaced', async () => {
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

  it('stop ends every process of the services; start --services brings them back', async () => {
    const stopped = await runCli(['sandbox', 'stop', sb.dir]);
    expect(stopped.exitCode).toBe(0);
    expect(marked()).toEqual([]);
    expect(processesUnder(sb.dir)).toEqual([]);
    const status = JSON.parse((await runCli(['sandbox', 'status', sb.dir, '--json'])).stdout) as { running: boolean; services: { running: boolean } };
    expect(status).toMatchObject({ running: false, services: { running: false } });
    const started = await runCli(['sandbox', 'start', sb.dir, '--services'], { timeout: 120_000 });
    expect(started.exitCode).toBe(0);
    expect(started.stdout).toMatch(/services\s+running/);
    expect((await get(sb.services.url)).status).toBe(200);
  });

  it('destroy leaves no process whose command line or working directory is under the sandbox', async () => {
    // Something else running from the sandbox, as an admin's shell command would.
    const stray = execa('sleep', ['600'], { cwd: sb.root, reject: false, detached: true });
    expect(processesUnder(sb.dir).length).toBeGreaterThan(5);
    const destroyed = await runCli(['sandbox', 'destroy', sb.dir]);
    expect(destroyed.exitCode).toBe(0);
    expect((await stray).signal).toBe('SIGTERM');
    expect(processesUnder(sb.dir)).toEqual([]);
    expect(fs.existsSync(sb.dir)).toBe(false);
  });
});
