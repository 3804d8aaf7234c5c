import { describe, expect, it } from 'vitest';
import { evaluate, summarise } from '../../src/tasks/checkup/rules/index.js';
import { toMarkdown, toText } from '../../src/tasks/checkup/report.js';
import type { CheckupReport } from '../../src/tasks/checkup/types.js';
import { validateSetting } from '../../src/tasks/checkup/validate.js';
import { inputs } from './checkup-fixture.js';

const row = (over: object) => ({ name: 'shared_buffers', setting: '16384', unit: '8kB', context: 'postmaster', vartype: 'integer', source: 'default', minVal: '16', maxVal: '1073741823', enumvals: null, ...over });

describe('will PostgreSQL accept the value', () => {
  it('checks memory sizes against pg_settings limits in the setting\'s unit', () => {
    expect(validateSetting(row({}), '4GB')).toEqual({ ok: true });
    expect(validateSetting(row({}), '64kB')).toMatchObject({ ok: false, reason: expect.stringContaining('below the minimum') });
    expect(validateSetting(row({}), 'lots')).toMatchObject({ ok: false });
  });

  it('checks reals, enums and booleans', () => {
    expect(validateSetting(row({ name: 'random_page_cost', vartype: 'real', unit: null, minVal: '0', maxVal: '1.79769e+308' }), '1.1')).toEqual({ ok: true });
    expect(validateSetting(row({ name: 'huge_pages', vartype: 'enum', unit: null, enumvals: ['off', 'on', 'try'] }), 'maybe')).toMatchObject({ ok: false });
    expect(validateSetting(row({ name: 'autovacuum', vartype: 'bool', unit: null }), 'on')).toEqual({ ok: true });
  });
});

describe('the exported report', () => {
  const checks = evaluate(inputs({ django: { debug: true, allowedHosts: ['x'], connMaxAge: 0, settingsSource: 'django' } }));
  const report: CheckupReport = {
    schema: 'catmaid-tui/checkup@1',
    instance: 'catmaid',
    startedAt: '2026-11-25T14:02:00.000Z',
    checkMs: 212,
    sampling: null,
    summary: summarise(checks),
    checks,
  };

  it('is Markdown with a table per group and the fix of every finding', () => {
    const md = toMarkdown(report);
    expect(md).toMatch(/^# catmaid-tui checkup · catmaid/);
    expect(md).toContain('## Database');
    expect(md).toContain('## Django');
    expect(md).toContain('| ✗ fail | `django.debug` | True | False |');
    expect(md).toContain('catmaid-tui checkup --apply django.debug');
    expect(md).toContain('Differs from the admin manual');
  });

  it('prints one line per check and the --apply line in plain text', () => {
    const text = toText(report);
    expect(text).toMatch(/✗ django\.debug\s+True → False/);
    expect(text).toContain('--apply pg.shared_buffers');
  });
});
