import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSql } from '../../src/sandbox/index.js';
import { commandForOthers } from '../helpers/as-user.js';
import { privateHome, runCli } from '../helpers/cli.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/**
 * checkup --apply as the README promises it, both ways: root reaches the cluster's superuser over its socket,
 * an ordinary user (here the owner of the checkout, as on many installs) is refused ALTER SYSTEM with the
 * command to run instead, and can still apply what the CATMAID role may do itself (ALTER ROLE).
 */
const USER = 'catmaid-tui-tester';
let sb: TestSandbox;
let home: string;

async function ensureUser(): Promise<void> {
  if ((await execa('id', ['-u', USER], { reject: false })).exitCode === 0) return;
  await execa('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', USER]);
}

beforeAll(async () => {
  await ensureUser();
  sb = await createTestSandbox();
  home = fs.mkdtempSync(path.join(sb.dir, 'home-'));
  await execa('chown', ['-R', `${USER}:${USER}`, sb.root, home]);
});
afterAll(async () => {
  await sb?.destroy();
});

/** The built CLI as the ordinary user, through runuser, with a home of its own. */
function asUser(...args: string[]) {
  const env = Object.entries({ NO_COLOR: '1', ...privateHome(home) }).map(([k, v]) => `${k}=${v}`);
  return execa('runuser', ['-u', USER, '--', 'env', ...env, ...commandForOthers(), '-C', sb.root, ...args], { reject: false, timeout: 120_000 });
}

const jitCost = async (): Promise<string> => (await sandboxSql(sb.dir, 'SHOW jit_above_cost')).trim();

describe('checkup --apply needs a superuser for ALTER SYSTEM', () => {
  it('an ordinary user is refused ALTER SYSTEM (exit 3, with the command to run instead); nothing changes', async () => {
    expect((await execa('runuser', ['-u', USER, '--', 'id', '-u'])).stdout).not.toBe('0');
    // JIT on with a low threshold: the checkup's pg.jit fix is an ALTER SYSTEM.
    await sandboxSql(sb.dir, "ALTER SYSTEM SET jit_above_cost = '100000'; ALTER SYSTEM SET jit = 'on'; SELECT pg_reload_conf();");
    const refused = await asUser('checkup', '--samples', '0', '--apply', 'pg.jit', '--yes');
    expect(refused.exitCode, refused.stderr).toBe(3);
    expect(refused.stderr).toContain('catmaid-tui: ALTER SYSTEM needs a PostgreSQL superuser and the CATMAID role is not one');
    expect(refused.stderr).toContain('sudo -u postgres psql -d <database>');
    expect(await jitCost()).toBe('100000');
  });

  it('an ordinary user may apply what the CATMAID role can do itself (ALTER ROLE)', async () => {
    await sandboxSql(sb.dir, `ALTER ROLE "${sb.user}" RESET ALL;`);
    const applied = await asUser('checkup', '--samples', '0', '--apply', 'pg.role_settings', '--yes');
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('✓ pg.role_settings: now ok');
  });

  it('root applies ALTER SYSTEM as the cluster superuser', async () => {
    const applied = await runCli(['-C', sb.root, 'checkup', '--samples', '0', '--apply', 'pg.jit', '--yes'], { env: privateHome(sb.dir) });
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(applied.stderr).toMatch(/ran ALTER SYSTEM SET jit_above_cost = '\d+'; as postgres \(the CATMAID role is no superuser\)/);
    expect(await jitCost()).not.toBe('100000');
    await sandboxSql(sb.dir, 'ALTER SYSTEM RESET jit_above_cost; ALTER SYSTEM RESET jit; SELECT pg_reload_conf();');
  });
});
