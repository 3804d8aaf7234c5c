import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateHome, repoRoot, runCli } from '../helpers/cli.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/**
 * What `catmaid-tui checkup --json` really prints on a sandbox, held against the schema the README documents
 * (its example object, its field table, the fix kinds and the check ids): a script written from the README
 * must be able to read every field it finds.
 */
let sb: TestSandbox;
let home: string;
beforeAll(async () => {
  sb = await createTestSandbox();
  home = fs.mkdtempSync(path.join(sb.dir, 'home-'));
});
afterAll(async () => {
  await sb?.destroy();
});

interface Documented {
  top: string[];
  sampling: string[];
  summary: string[];
  check: string[];
  optionalCheck: string[];
  fixKinds: Record<string, string[]>;
  groups: string[];
  statuses: string[];
  ids: string[];
}

function documentedSchema(): Documented {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### `checkup --json`'));
  const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]);
  const row = (field: string): string => new RegExp(`^\\| \`${field.replace(/[[\]]/g, '\\$&')}\` \\| (.*) \\|$`, 'm').exec(section)![1];
  const codes = (text: string): string[] => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  const kindsText = /^Fix kinds: ([\s\S]*?)\n\n/m.exec(section)![1];
  const fixKinds: Record<string, string[]> = {};
  for (const m of kindsText.matchAll(/`([a-z-]+)` \(([^)]*(?:\([^)]*\)[^)]*)*)\)/g)) {
    fixKinds[m[1]] = ['kind', 'text', ...codes(m[2].split(';')[0]).filter((f) => /^[a-zA-Z]+$/.test(f))];
  }
  return {
    top: Object.keys(example),
    sampling: Object.keys(example.sampling),
    summary: Object.keys(example.summary),
    check: Object.keys(example.checks[0]),
    optionalCheck: ['differsFromOldPage', 'series'].filter((f) => row(`checks[].${f}`)),
    fixKinds,
    groups: codes(row('checks[].group')),
    statuses: codes(row('checks[].status')).filter((s) => /^[a-z]+$/.test(s)),
    ids: codes(/^Check ids: ([\s\S]*?)\n\n/m.exec(section)![1]).filter((s) => /^[a-z]+\.[a-z0-9_]+$/.test(s)),
  };
}

async function checkupJson(...args: string[]) {
  const result = await runCli(['-C', sb.root, 'checkup', '--json', ...args], { env: privateHome(home) });
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

function expectDocumented(report: Record<string, unknown>, doc: Documented): void {
  expect(Object.keys(report).sort()).toEqual([...doc.top].sort());
  expect(report.schema).toBe('catmaid-tui/checkup@1');
  expect(Number.isNaN(Date.parse(report.startedAt as string))).toBe(false);
  expect(typeof report.checkMs).toBe('number');
  const sampling = report.sampling as Record<string, unknown> | null;
  if (sampling !== null) {
    expect(Object.keys(sampling).sort()).toEqual([...doc.sampling].sort());
    expect((sampling.series as unknown[]).every((n) => Number.isInteger(n))).toBe(true);
  }
  const checks = report.checks as Record<string, unknown>[];
  const summary = report.summary as Record<string, number>;
  expect(Object.keys(summary).sort()).toEqual([...doc.summary].sort());
  for (const status of doc.summary) expect(summary[status], status).toBe(checks.filter((c) => c.status === status).length);
  for (const check of checks) {
    const where = String(check.id);
    expect(doc.ids, where).toContain(check.id);
    for (const field of doc.check) expect(Object.keys(check), where).toContain(field);
    for (const field of Object.keys(check)) expect([...doc.check, ...doc.optionalCheck], `${where}.${field}`).toContain(field);
    expect(doc.groups, where).toContain(check.group);
    expect(doc.statuses, where).toContain(check.status);
    expect(typeof check.current, where).toBe('string');
    expect(check.suggested === null || typeof check.suggested === 'string', where).toBe(true);
    const fix = check.fix as Record<string, unknown> | null;
    if (fix === null) continue;
    expect(Object.keys(doc.fixKinds), where).toContain(fix.kind);
    expect(Object.keys(fix).sort(), where).toEqual([...doc.fixKinds[fix.kind as string]].sort());
    expect(typeof fix.text, where).toBe('string');
  }
}

describe('checkup --json on the sandbox follows the schema the README documents', () => {
  it('reads the documented schema out of the README', () => {
    const doc = documentedSchema();
    expect(doc.top).toEqual(['schema', 'instance', 'startedAt', 'checkMs', 'sampling', 'summary', 'checks']);
    expect(Object.keys(doc.fixKinds)).toEqual(['alter-system', 'alter-role', 'sql', 'settings', 'superuser-sql', 'manual']);
    expect(doc.fixKinds['alter-system']).toEqual(['kind', 'text', 'parameter', 'value']);
    expect(doc.groups).toEqual(['database', 'django', 'web', 'os']);
    expect(doc.statuses).toEqual(['ok', 'warn', 'fail', 'info']);
    expect(doc.ids.length).toBeGreaterThan(20);
  });

  it('with sampled connections (and DEBUG on, so a settings fix appears)', async () => {
    const settingsPy = path.join(sb.root, 'django', 'projects', 'mysite', 'settings.py');
    const original = fs.readFileSync(settingsPy, 'utf8');
    fs.writeFileSync(settingsPy, `${original}\nDEBUG = True\n`);
    try {
      const report = await checkupJson('--samples', '3', '--interval', '0.2', '--workers', '4');
      expectDocumented(report, documentedSchema());
      expect(report.sampling).not.toBeNull();
      const kinds = new Set(report.checks.map((c: { fix: { kind: string } | null }) => c.fix?.kind).filter(Boolean));
      expect([...kinds]).toEqual(expect.arrayContaining(['alter-system', 'settings']));
    } finally {
      fs.writeFileSync(settingsPy, original);
    }
  });

  it('without sampling (sampling is null)', async () => {
    const report = await checkupJson('--samples', '0');
    expectDocumented(report, documentedSchema());
    expect(report.sampling).toBeNull();
  });
});
