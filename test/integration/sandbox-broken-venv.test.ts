import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managePy, sandboxSql } from '../../src/sandbox/index.js';
import { privateHome, runCli } from '../helpers/cli.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/**
 * The second flavour: a virtualenv with Django and psycopg2 but without what CATMAID's settings_base.py imports
 * (celery), as a half-installed one on a real server. Everything that reads the settings must take the static
 * path on it; the database is the same as the other flavour's.
 */
let sb: TestSandbox;
let home: string;
beforeAll(async () => {
  sb = await createTestSandbox({ brokenVenv: true });
  home = path.join(path.dirname(sb.dir), 'home');
});
afterAll(async () => {
  await sb?.destroy();
});

describe('a sandbox with a broken virtualenv', () => {
  it("has Django in its virtualenv but cannot import CATMAID's settings, for want of celery", async () => {
    expect(sb.brokenVenv).toBe(true);
    const python = path.join(sb.root, 'django', 'env', 'bin', 'python');
    expect((await execa(python, ['-c', 'import django, psycopg2'], { reject: false })).exitCode).toBe(0);
    const check = await managePy(sb.root, ['check']);
    expect(check.exitCode).not.toBe(0);
    expect(check.stderr).toContain("ModuleNotFoundError: No module named 'celery'");
  });

  it('makes info read the settings statically and say why, with the same database settings', async () => {
    const run = await runCli(['-C', sb.root, 'info', '--json'], { env: privateHome(home) });
    expect(run.exitCode).toBe(0);
    const info = JSON.parse(run.stdout);
    expect(info.settings.source).toBe('static');
    expect(info.settings.fallbackReason).toMatch(/^Django import failed: .*No module named 'celery'/);
    expect(info.settings.database).toEqual({ name: sb.database, user: sb.user, password: '***', host: sb.host, port: sb.port });
    expect(info.database.reachable).toBe(true);
    const text = await runCli(['-C', sb.root, 'info'], { env: privateHome(home) });
    expect(text.stdout).toMatch(/settings +read statically \(Django import failed: ModuleNotFoundError: No module named 'celery'\)/);
  });

  it('has the same seeded database as the other flavour', async () => {
    expect(Number(await sandboxSql(sb.dir, 'SELECT count(*) FROM treenode_edge'))).toBe(10_000);
    expect(Number(await sandboxSql(sb.dir, "SELECT count(*) FROM pg_extension WHERE extname = 'postgis'"))).toBe(1);
  });

  it('is a flavour of `sandbox create` and shows in `sandbox status --json`', async () => {
    expect((await runCli(['sandbox', 'create', '--help'])).stdout).toContain('--broken-venv');
    const status = await runCli(['sandbox', 'status', sb.dir, '--json'], { env: privateHome(home) });
    expect(JSON.parse(status.stdout)).toMatchObject({ dir: sb.dir, brokenVenv: true, running: true });
    const text = await runCli(['sandbox', 'status', sb.dir], { env: privateHome(home) });
    expect(text.stdout).toMatch(/^virtualenv +broken on purpose \(--broken-venv\)/m);
  });
});
