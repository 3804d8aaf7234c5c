import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSql } from '../../src/sandbox/index.js';
import { applyFix } from '../../src/tasks/checkup/apply.js';
import { runCheckup } from '../../src/tasks/checkup/run.js';
import type { CheckupReport } from '../../src/tasks/checkup/types.js';
import { discoverInstance, locateInstance, type InstanceInfo } from '../../src/tasks/instance/index.js';
import { readSettingsFromDjango } from '../../src/tasks/instance/settings-django.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let sb: TestSandbox;
beforeAll(async () => {
  sb = await createTestSandbox();
});
afterAll(async () => {
  await sb?.destroy();
});

async function instance(): Promise<InstanceInfo> {
  return discoverInstance(await locateInstance({ catmaidDir: sb.root }), { processes: false });
}

function check(report: CheckupReport, id: string) {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
}

describe('checkup on the sandbox', () => {
  it('runs every check in well under 1.5 s without the sampling window', async () => {
    const info = await instance();
    const started = performance.now();
    const report = await runCheckup(info, { samples: 0, workers: 4 });
    const wall = performance.now() - started;
    console.log(`checkup wall time without sampling: ${Math.round(wall)} ms (checks ${report.checkMs} ms)`);
    expect(wall).toBeLessThan(1500);
    expect(report.schema).toBe('catmaid-tui/checkup@1');
    expect(check(report, 'pg.shared_buffers').current).toMatch(/MB|GB|kB/);
    expect(check(report, 'kernel.shm').status).toBe('ok');
    expect(check(report, 'pg.autovacuum').status).toBe('ok');
    expect(check(report, 'mem.ram').status).toBe('ok');
  });

  it('finds the role settings missing, applies the three ALTER ROLE statements, then passes', async () => {
    await sandboxSql(sb.dir, `ALTER ROLE "${sb.user}" RESET ALL;`);
    const info = await instance();
    const before = check(await runCheckup(info, { samples: 0 }), 'pg.role_settings');
    expect(before.status).toBe('warn');
    expect(before.fix?.text).toContain(`ALTER ROLE "${sb.user}" SET timezone TO 'UTC';`);

    const result = await applyFix(info, before);
    expect(result.lines.join('\n')).toContain('ALTER ROLE');
    const stored = await sandboxSql(sb.dir, `SELECT array_to_string(setconfig, ';') FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = '${sb.user}'`);
    expect(stored.toLowerCase()).toContain('timezone=utc');
    expect(stored).toContain('client_encoding=UTF8');
    expect(stored).toContain('default_transaction_isolation=read committed');
    expect(check(await runCheckup(info, { samples: 0 }), 'pg.role_settings').status).toBe('ok');
  });

  it('fails on DEBUG = True, turns it off in a managed block, and settings.py still imports', async () => {
    const settingsPy = (await instance()).layout.settingsPy;
    fs.appendFileSync(settingsPy, '\nDEBUG = True\n');
    const info = await instance();
    const debug = check(await runCheckup(info, { samples: 0 }), 'django.debug');
    expect(debug.status).toBe('fail');

    const result = await applyFix(info, debug);
    expect(result.backup && fs.existsSync(result.backup)).toBe(true);
    expect(fs.readFileSync(settingsPy, 'utf8')).toMatch(/# >>> catmaid-tui: checkup-debug >>>[\s\S]*DEBUG = False/);
    expect((await readSettingsFromDjango(info.layout)).debug).toBe(false);
    const after = check(await runCheckup(info, { samples: 0, rereadSettings: true }), 'django.debug');
    expect(after.status).toBe('ok');
  });

  it('applies ALTER SYSTEM as the cluster superuser and says when a restart is needed', async () => {
    const info = await instance();
    await sandboxSql(sb.dir, "ALTER SYSTEM SET jit_above_cost = '100000'; ALTER SYSTEM SET jit = 'on'; SELECT pg_reload_conf();");
    const jit = check(await runCheckup(info, { samples: 0 }), 'pg.jit');
    expect(jit.status).toBe('warn');
    const applied = await applyFix(info, jit);
    expect(applied.restartNeeded).toBe(false);
    expect(applied.lines.join('\n')).toMatch(/as postgres|reloaded/);
    expect(check(await runCheckup(info, { samples: 0 }), 'pg.jit').status).toBe('ok');

    const shared = check(await runCheckup(info, { samples: 0, dbRamBytes: 4 * 1024 ** 3 }), 'pg.shared_buffers');
    expect(shared.fix).toMatchObject({ kind: 'alter-system', value: '1GB' });
    const restart = await applyFix(info, shared);
    expect(restart.restartNeeded).toBe(true);
    expect(await sandboxSql(sb.dir, "SELECT setting FROM pg_file_settings WHERE name = 'shared_buffers' AND sourcefile LIKE '%auto.conf'")).toContain('1GB');
    await sandboxSql(sb.dir, 'ALTER SYSTEM RESET shared_buffers; ALTER SYSTEM RESET jit_above_cost; ALTER SYSTEM RESET jit; SELECT pg_reload_conf();');
  });
});
