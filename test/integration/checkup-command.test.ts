import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerCheckup } from '../../src/commands/checkup.js';
import { sandboxSql } from '../../src/sandbox/index.js';
import { runCheckup } from '../../src/tasks/checkup/run.js';
import { readNginx } from '../../src/tasks/checkup/gather/nginx.js';
import { discoverInstance, locateInstance } from '../../src/tasks/instance/index.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let sb: TestSandbox;
let tmp: string;
beforeAll(async () => {
  sb = await createTestSandbox();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'checkup-nginx-'));
});
afterAll(async () => {
  await sb?.destroy();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** `catmaid-tui -C <sandbox> checkup …` in this process, as the lead wires it into the program. */
async function checkup(args: string[]): Promise<{ stdout: string; error?: { exitCode?: number; message: string } }> {
  const program = new Command('catmaid-tui').exitOverride().option('-C, --catmaid-dir <dir>');
  registerCheckup(program);
  let stdout = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['node', 'catmaid-tui', '-C', sb.root, 'checkup', ...args]);
    return { stdout };
  } catch (error) {
    return { stdout, error: error as { exitCode?: number; message: string } };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('catmaid-tui checkup', () => {
  it('prints the JSON report, its checks done in under 1.5 s without sampling', async () => {
    const started = performance.now();
    const { stdout, error } = await checkup(['--json', '--samples', '0', '--workers', '4']);
    const wall = Math.round(performance.now() - started);
    // The wall time includes discovery's Django import of settings.py, which the screen has done already.
    console.log(`checkup --json --samples 0: ${wall} ms wall (discovery included)`);
    expect(error).toBeUndefined();
    const report = JSON.parse(stdout);
    expect(report.schema).toBe('catmaid-tui/checkup@1');
    expect(report.sampling).toBeNull();
    expect(report.checks.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(['pg.shared_buffers', 'pg.role_settings', 'django.debug', 'kernel.shm', 'mem.ram']));
    console.log(`checks: ${report.checkMs} ms`);
    expect(report.checkMs).toBeLessThan(1500);
  });

  it('refuses --apply without a terminal or --yes (exit 3), and applies with --yes', async () => {
    await sandboxSql(sb.dir, `ALTER ROLE "${sb.user}" RESET ALL;`);
    const refused = await checkup(['--apply', 'pg.role_settings', '--samples', '0']);
    expect(refused.error?.exitCode).toBe(3);
    expect(refused.error?.message).toContain('--apply asks');

    const unknown = await checkup(['--apply', 'pg.nothing', '--samples', '0']);
    expect(unknown.error?.exitCode).toBe(2);

    const applied = await checkup(['--apply', 'pg.role_settings', '--yes', '--samples', '0']);
    expect(applied.error).toBeUndefined();
    expect(applied.stdout).toContain('✓ pg.role_settings: now ok');
  });

  it('reads a real nginx configuration with nginx -T and checks its tiles and gzip', async () => {
    const conf = path.join(tmp, 'nginx.conf');
    fs.writeFileSync(
      conf,
      `pid ${tmp}/nginx.pid;\nevents {}\nhttp {\n  gzip on;\n  server {\n    listen 127.0.0.1:18080;\n    server_name catmaid.test;\n` +
        `    location /tiles/ { alias ${tmp}/tiles/; expires max; add_header Cache-Control public; }\n    location / { proxy_pass http://127.0.0.1:8000; }\n  }\n}\n`,
    );
    const args = ['-p', tmp, '-e', 'stderr', '-c', conf];
    const facts = await readNginx(args);
    expect(facts).toMatchObject({ installed: true, ok: true });
    expect(facts.files.map((f) => f.file)).toContain(conf);
    const info = await discoverInstance(await locateInstance({ catmaidDir: sb.root }), { processes: false });
    const report = await runCheckup(info, { samples: 0, nginxConfigArgs: args });
    const byId = (id: string) => report.checks.find((c) => c.id === id)!;
    expect(byId('nginx.tiles').status).toBe('ok');
    expect(byId('nginx.gzip').status).toBe('warn');
    expect(byId('nginx.http2').status).toBe('info');
  });
});
