import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateHome, runCli } from '../helpers/cli.js';

/**
 * The sandbox commands as the README gives them, through the built CLI, one after the other on one sandbox:
 * create, status --json, stop, start, load, destroy.
 */
let parent: string;
let dir: string;
let env: Record<string, string>;

beforeAll(() => {
  parent = fs.mkdtempSync('/tmp/catmaid-tui-sandbox-cli-');
  fs.chmodSync(parent, 0o755); // the cluster runs as postgres, which must get through
  dir = path.join(parent, 'sb');
  env = privateHome(path.join(parent, 'home'));
});
afterAll(async () => {
  if (fs.existsSync(path.join(dir, 'sandbox.json'))) await runCli(['sandbox', 'destroy', dir], { env });
  fs.rmSync(parent, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCli(args, { env, timeout: 180_000 });

async function status(): Promise<{ running: boolean; pid: number | null; port: number; root: string; pgDir: string }> {
  const result = await cli('sandbox', 'status', '--json', dir);
  expect(result.exitCode, result.stderr).toBe(0);
  expect(result.stdout).not.toMatch(/password/i);
  return JSON.parse(result.stdout);
}

async function databaseReachable(): Promise<boolean> {
  const info = await cli('-C', path.join(dir, 'catmaid'), 'info', '--json');
  expect(info.exitCode, info.stderr).toBe(0);
  return JSON.parse(info.stdout).database.reachable;
}

/** Whether the server process is still there a few seconds on (it exits just after removing its pid file). */
async function processGone(pid: number): Promise<boolean> {
  const running = (): boolean => {
    try {
      return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 50 && running(); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
  return !running();
}

describe('catmaid-tui sandbox …', () => {
  it('create builds a sandbox whose database answers', async () => {
    const created = await cli('sandbox', 'create', dir);
    expect(created.exitCode, created.stderr).toBe(0);
    expect(created.stdout).toContain(`sandbox ready in ${dir}`);
    expect(created.stdout).toContain(`try: catmaid-tui --catmaid-dir ${path.join(dir, 'catmaid')} info`);
    expect(fs.existsSync(path.join(dir, 'catmaid', 'django', 'projects', 'manage.py'))).toBe(true);
    expect(await databaseReachable()).toBe(true);
  });

  it('status --json says it runs, on which port, with the server pid (and never a password)', async () => {
    const s = await status();
    expect(s.running).toBe(true);
    expect(s.root).toBe(path.join(dir, 'catmaid'));
    expect(s.pid).toBe(Number(fs.readFileSync(path.join(s.pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]));
    expect(s.port).toBeGreaterThan(1024);
  });

  it('stop stops the server', async () => {
    const { pid } = await status();
    const stopped = await cli('sandbox', 'stop', dir);
    expect(stopped.exitCode, stopped.stderr).toBe(0);
    expect(stopped.stdout).toMatch(/^server +stopped$/m);
    expect(await status()).toMatchObject({ running: false, pid: null });
    expect(await processGone(pid!)).toBe(true);
    expect(await databaseReachable()).toBe(false);
  });

  it('load refuses a stopped sandbox and says how to start it', async () => {
    const refused = await cli('sandbox', 'load', dir, '--duration', '2');
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(`catmaid-tui sandbox start ${dir}`);
  });

  it('start starts it again', async () => {
    const started = await cli('sandbox', 'start', dir);
    expect(started.exitCode, started.stderr).toBe(0);
    const s = await status();
    expect(started.stdout).toMatch(new RegExp(`^server +running \\(pid ${s.pid}\\)$`, 'm'));
    expect(s.running).toBe(true);
    expect(await databaseReachable()).toBe(true);
  });

  it('load runs CATMAID-shaped traffic for its duration, then stops and closes its connections', async () => {
    const load = await cli('sandbox', 'load', dir, '--workers', '2', '--duration', '3');
    expect(load.exitCode, load.stderr).toBe(0);
    expect(load.stdout).toMatch(/^load on 127\.0\.0\.1:\d+\/\S+ as \S+: 2 workers/m);
    const summary = /^stopped: (\d+) requests, (\d+) leaked connections closed, (\d+) errors$/m.exec(load.stdout);
    expect(summary, load.stdout).not.toBeNull();
    expect(Number(summary![1])).toBeGreaterThan(0);
    expect(Number(summary![3])).toBe(0);
  });

  it('destroy stops the server and removes the folder; a folder that is no sandbox is refused', async () => {
    const { pid } = await status();
    const destroyed = await cli('sandbox', 'destroy', dir);
    expect(destroyed.exitCode, destroyed.stderr).toBe(0);
    expect(destroyed.stdout.trim()).toBe(`removed ${dir}`);
    expect(fs.existsSync(dir)).toBe(false);
    expect(await processGone(pid!)).toBe(true);

    const other = fs.mkdtempSync(path.join(parent, 'not-a-sandbox-'));
    fs.writeFileSync(path.join(other, 'keep.txt'), 'mine');
    const refused = await cli('sandbox', 'destroy', other);
    expect(refused.exitCode).toBe(2);
    expect(fs.readFileSync(path.join(other, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('a create that fails partway leaves neither its folder nor a server behind', async () => {
    // git fails while the cluster is still being made (initdb, then the server starting): the create must wait
    // for that before it cleans up.
    const bin = fs.mkdtempSync(path.join(parent, 'bin-'));
    fs.writeFileSync(path.join(bin, 'git'), '#!/bin/sh\nsleep 1.5\necho "git: broken on purpose" >&2\nexit 1\n', { mode: 0o755 });
    const failed = path.join(parent, 'failed');
    const created = await runCli(['sandbox', 'create', failed], { env: { ...env, PATH: `${bin}:${process.env.PATH}` }, timeout: 180_000 });
    expect(created.exitCode, created.stdout).not.toBe(0);
    expect(created.stderr).toMatch(/git: broken on purpose/);
    expect(fs.existsSync(failed)).toBe(false);
    // Nothing of it still runs once the command has returned: no initdb, pg_ctl or postgres working on the folder.
    const left = fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(failed);
      } catch {
        return false;
      }
    });
    expect(left).toEqual([]);
  });
});
