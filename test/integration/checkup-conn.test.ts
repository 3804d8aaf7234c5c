import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLoad, type LoadHandle } from '../../src/sandbox/load/index.js';
import { applyFix } from '../../src/tasks/checkup/apply.js';
import { runCheckup } from '../../src/tasks/checkup/run.js';
import { discoverInstance, locateInstance, type InstanceInfo } from '../../src/tasks/instance/index.js';
import { applyManagedBlock } from '../../src/tasks/settings-block.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let sb: TestSandbox;
let load: LoadHandle | undefined;
beforeAll(async () => {
  sb = await createTestSandbox();
});
afterEach(async () => {
  await load?.stop();
  load = undefined;
});
afterAll(async () => {
  await sb?.destroy();
});

async function instance(): Promise<InstanceInfo> {
  return discoverInstance(await locateInstance({ catmaidDir: sb.root }), { processes: false });
}

const quiet = { longQueries: 0, blocked: false } as const;

describe('CONN_MAX_AGE advice from real traffic', () => {
  it('suggests 60 when 4 persistent workers hold at most 4 connections', async () => {
    const info = await instance();
    expect(info.settings.settings.connMaxAge).toBe(0);
    load = await startLoad({ db: info.settings.settings.database, workers: 4, connMaxAge: 60, ...quiet });
    const report = await runCheckup(info, { samples: 6, intervalSeconds: 0.4, workers: 4 });
    const check = report.checks.find((c) => c.id === 'django.conn_max_age')!;
    console.log(`persistent workers: series ${check.series?.join(' ')} → ${check.status} ${check.suggested}`);
    expect(check.series).toHaveLength(6);
    expect(Math.max(...check.series!)).toBeLessThanOrEqual(4);
    expect(check.status).toBe('warn');
    expect(check.suggested).toBe('60');
    expect(check.fix?.text).toBe("DATABASES['default']['CONN_MAX_AGE'] = 60");
  });

  it('suggests 0 when CONN_MAX_AGE is 60 and connections leak, and the fix lands in settings.py', async () => {
    const before = await instance();
    await applyManagedBlock(before.layout.settingsPy, 'checkup-conn-max-age', ["DATABASES['default']['CONN_MAX_AGE'] = 60"]);
    const info = await instance();
    expect(info.settings.settings.connMaxAge).toBe(60);
    load = await startLoad({ db: info.settings.settings.database, workers: 2, connMaxAge: 60, leak: true, leakEveryMs: 250, ...quiet });
    const report = await runCheckup(info, { samples: 8, intervalSeconds: 0.5, workers: 2 });
    const check = report.checks.find((c) => c.id === 'django.conn_max_age')!;
    console.log(`leak: series ${check.series?.join(' ')} → ${check.status} ${check.suggested}`);
    expect(check.series!.at(-1)!).toBeGreaterThan(check.series![0] + 2);
    expect(check.status).toBe('fail');
    expect(check.suggested).toBe('0');

    await applyFix(info, check);
    expect((await instance()).settings.settings.connMaxAge).toBe(0);
  });
});
