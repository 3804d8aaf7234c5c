import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { listFiles } from '../../src/sandbox/template-dir.js';
import { executablePath, privateHome, repoRoot, runCli } from '../helpers/cli.js';
import { pathWithoutNode } from '../helpers/no-node.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { startInTmux, type TmuxSession } from '../helpers/tmux.js';

/**
 * The single executable (dist/catmaid-tui-linux-<arch>, made by `npm test` before vitest) on a machine without
 * Node.js: PATH has no node, and where it has one, an old one, that must never run.
 */
const nodeVersion = fs.readFileSync(path.join(repoRoot, '.node-version'), 'utf8').trim();
const noNode = pathWithoutNode();
let home: string;
let env: Record<string, string>;
let sb: TestSandbox;
const sessions: TmuxSession[] = [];
const exe = (args: string[], extra: Record<string, string> = {}) =>
  runCli(args, { runner: 'executable', env: { ...env, ...extra }, timeout: 180_000 });

beforeAll(async () => {
  home = fs.mkdtempSync('/tmp/catmaid-tui-exe-');
  fs.chmodSync(home, 0o755); // the default sandbox of `demo` lives in it, and its cluster runs as postgres
  env = { ...privateHome(home), PATH: noNode, CATMAID_DIR: '' };
  sb = await createTestSandbox();
}, 240_000);

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.kill()));
  await exe(['sandbox', 'destroy']);
  await sb?.destroy();
  fs.rmSync(home, { recursive: true, force: true });
});

async function inTmux(args: string[]): Promise<TmuxSession> {
  const session = await startInTmux(args, { runner: 'executable', env });
  sessions.push(session);
  return session;
}

describe('the single executable, with no node on PATH', () => {
  it('finds no node on that PATH', async () => {
    expect((await execa('which', ['node'], { env: { PATH: noNode }, reject: false })).exitCode).toBe(1);
    expect(fs.statSync(executablePath).mode & 0o111).not.toBe(0);
  });

  it('names its version and the Node.js inside', async () => {
    const result = await exe(['--version']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`${pkg.version} (Node.js v${nodeVersion}, inside this executable)`);
  });

  it('never runs an old node that is first on PATH, nor takes NODE_OPTIONS meant for it', async () => {
    const fake = path.join(home, 'old-node');
    const mark = path.join(home, 'old-node-ran');
    fs.mkdirSync(fake);
    fs.writeFileSync(path.join(fake, 'node'), `#!/bin/sh\necho "$@" >> ${mark}\necho v12.22.9\n`, { mode: 0o755 });
    const extra = { PATH: `${fake}:${noNode}`, NODE_OPTIONS: '--a-flag-of-another-node' };
    expect((await exe(['--version'], extra)).exitCode).toBe(0);
    const info = await exe(['-C', sb.root, 'info'], extra);
    expect(info.exitCode, info.stderr).toBe(0);
    expect(fs.existsSync(mark)).toBe(false);
  });

  it('shows info, backs up, and samples the monitor once', async () => {
    const info = await exe(['-C', sb.root, 'info', '--json']);
    expect(info.exitCode, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ root: sb.root });

    const out = path.join(home, 'backups');
    const backup = await exe(['-C', sb.root, 'backup', '--out', out, '--json']);
    expect(backup.exitCode, backup.stderr).toBe(0);
    const made = JSON.parse(backup.stdout) as { path: string; manifestPath: string; manifest: { verified?: unknown } };
    expect(path.dirname(made.path)).toBe(out);
    expect(fs.statSync(made.path).size).toBeGreaterThan(0);
    expect(fs.existsSync(made.manifestPath)).toBe(true);

    const monitor = await exe(['-C', sb.root, 'monitor', '--once', '--json']);
    expect(monitor.exitCode, monitor.stderr).toBe(0);
    expect(JSON.parse(monitor.stdout)).toBeTypeOf('object');
  });

  it('writes a crontab line that runs the executable itself', async () => {
    const result = await exe(['-C', sb.root, 'schedule', 'backup', '--print']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(` ${executablePath} --catmaid-dir ${sb.root} backup `);
  });

  it('opens the Monitor screen in a terminal and quits on q', async () => {
    const tui = await inTmux(['-C', sb.root, 'monitor']);
    const first = await tui.waitFor(/refresh 1 s|⏎ open/, 40_000);
    if (!first.includes('refresh 1 s')) await tui.keys('Enter');
    await tui.waitFor(/connections|sessions/);
    await tui.keys('q');
    const exit = await tui.waitForExit(5000).catch(async () => (await tui.keys('q'), tui.waitForExit()));
    expect(exit).toEqual({ status: 0, alternate: false });
  });

  it('runs the demo: a sandbox made from the template files inside it, and the wizard on it', { timeout: 300_000 }, async () => {
    const tui = await inTmux(['demo']);
    const screen = await tui.waitFor(/db .*● up/, 240_000);
    expect(screen).toMatch(/Home .*q quit/);
    await tui.keys('q');
    expect(await tui.waitForExit(20_000)).toEqual({ status: 0, alternate: false });

    const templates = path.join(env.XDG_DATA_HOME, 'catmaid-tui', 'sandbox-templates');
    const [written] = fs.readdirSync(templates);
    const source = path.join(repoRoot, 'src', 'sandbox', 'template');
    expect(listFiles(path.join(templates, written))).toEqual(listFiles(source));
    for (const rel of listFiles(source)) {
      const [a, b] = [path.join(source, rel), path.join(templates, written, rel)];
      expect(fs.readFileSync(b).equals(fs.readFileSync(a)), rel).toBe(true);
      expect(fs.statSync(b).mode & 0o755, rel).toBe(fs.statSync(a).mode & 0o755);
    }
  });
});
