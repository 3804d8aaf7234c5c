import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateHome, runCli } from '../helpers/cli.js';
import { makeCaAndLeaf, tempDir } from './ssl-fixtures.js';

/**
 * `ssl --write --restart --yes` through the built CLI, on a machine run by systemd: there is no systemd here, so a
 * fake `systemctl` on PATH answers `is-system-running` and records every call. nginx itself is the system's: it
 * only reads and tests its configuration (the site is a file of the test's own).
 */
const NAME = 'catmaid.test';
let dir: string;
let env: Record<string, string>;

async function fakeSystemctl(restartExit: number): Promise<void> {
  const script = `#!/bin/sh\necho "$*" >> ${path.join(dir, 'systemctl.log')}\ncase "$1" in\n  is-system-running) echo running ;;\n  restart) exit ${restartExit} ;;\nesac\nexit 0\n`;
  await fs.writeFile(path.join(dir, 'bin', 'systemctl'), script, { mode: 0o755 });
}

const ssl = (...args: string[]) =>
  runCli(['ssl', '--server-name', NAME, '--cert', path.join(dir, 'leaf.crt'), '--key', path.join(dir, 'leaf.key'), '--upstream', '127.0.0.1:8000', '--site-file', path.join(dir, 'site.conf'), ...args], { env, cwd: dir });

beforeAll(async () => {
  dir = await tempDir('ssl-restart');
  await fs.mkdir(path.join(dir, 'bin'));
  await makeCaAndLeaf(dir, NAME);
  env = { ...privateHome(dir), PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`, CATMAID_DIR: '' };
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('catmaid-tui ssl --restart', () => {
  it('restarts nginx through systemctl after writing, and says so', async () => {
    await fakeSystemctl(0);
    const result = await ssl('--write', '--restart', '--yes');
    // stderr carries only the steps as they start.
    expect(`${result.stderr}`.split('\n').every((l) => l.startsWith('… '))).toBe(true);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('nginx restarted.');
    const calls = (await fs.readFile(path.join(dir, 'systemctl.log'), 'utf8')).trim().split('\n');
    expect(calls).toContain('is-system-running');
    expect(calls.at(-1)).toBe('restart nginx');
    expect(await fs.readFile(path.join(dir, 'site.conf'), 'utf8')).toContain(`ssl_certificate ${path.join(dir, 'leaf.crt')};`);
  });

  it('fails with exit 1 and where to look when systemctl cannot restart nginx; without --restart nothing is restarted', async () => {
    await fs.rm(path.join(dir, 'systemctl.log'), { force: true });
    await fakeSystemctl(1);
    const failed = await ssl('--write', '--restart', '--yes');
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/systemctl restart nginx failed\n  hint: exit 1; see: journalctl -u nginx/);
    await fs.rm(path.join(dir, 'systemctl.log'), { force: true });
    const quiet = await ssl('--write', '--yes');
    expect(quiet.exitCode).toBe(0);
    expect(quiet.stdout).toContain("New certificate files need a restart of nginx, not a reload (CATMAID's administration manual): systemctl restart nginx");
    const calls = await fs.readFile(path.join(dir, 'systemctl.log'), 'utf8').catch(() => '');
    expect(calls).not.toContain('restart nginx');
  });
});
