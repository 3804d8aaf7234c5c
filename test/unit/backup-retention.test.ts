import { describe, expect, it } from 'vitest';
import type { BackupEntry } from '../../src/tasks/backup/list.js';
import type { BackupKind, BackupManifest } from '../../src/tasks/backup/manifest.js';
import type { BackupPin } from '../../src/tasks/backup/pins.js';
import { isoWeek, policyText, retentionPlan, type RetentionPlan } from '../../src/tasks/backup/retention.js';

const owner = { instanceKey: 'aaaaaaaaaaaa', databaseKey: 'local:5432/catmaid' };
const NOW = new Date(2026, 10, 25, 12, 0);

function entry(
  name: string,
  createdAt: Date,
  { state = 'verified', instance = owner.instanceKey, database = owner.databaseKey, kind = 'backup' as BackupKind, version = 2 } = {},
): BackupEntry {
  return {
    name,
    path: `/b/${name}`,
    format: 'sql',
    database: 'catmaid',
    createdAt,
    sizeBytes: 1,
    state: state as BackupEntry['state'],
    manifest:
      state === 'verified' || state === 'unverified'
        ? ({ database: 'catmaid', verified: state === 'verified', manifestVersion: version, ...(version === 2 ? { instance: { root: '/srv/x', key: instance }, databaseKey: database, kind } : {}) } as BackupManifest)
        : null,
  };
}
const daysAgo = (d: number, hour = 3) => new Date(NOW.getFullYear(), NOW.getMonth(), NOW.getDate() - d, hour, 0);
const names = (decisions: RetentionPlan['remove']) => decisions.map((d) => d.entry.name).sort();

describe('retention', () => {
  it("removes only this instance's and database's verified backups beyond the newest N, nothing else", () => {
    const entries = [
      entry('d5', daysAgo(5)),
      entry('d4', daysAgo(4)),
      entry('d3-unverified', daysAgo(3), { state: 'unverified' }),
      entry('d2', daysAgo(2)),
      entry('d1-handmade', daysAgo(1), { state: 'no-manifest' }),
      entry('other-db', daysAgo(1), { database: 'local:5433/catmaid' }),
      entry('other-instance', daysAgo(1), { instance: 'bbbbbbbbbbbb' }),
      entry('old-manifest', daysAgo(1), { version: 1 }),
      entry('d0', daysAgo(0)),
    ];
    const plan = retentionPlan(entries, owner, { last: 2 }, { now: NOW });
    expect(names(plan.remove)).toEqual(['d4', 'd5']);
    expect(names(plan.keep)).toEqual(['d0', 'd2']);
    expect(plan.untouched.map((d) => [d.entry.name, d.why])).toEqual([
      ['d3-unverified', 'unverified: never removed by retention'],
      ['d1-handmade', 'no manifest: not made by catmaid-tui, never removed'],
      ['other-db', 'another instance or database'],
      ['other-instance', 'another instance or database'],
      ['old-manifest', 'made before backups named their instance'],
    ]);
    expect(retentionPlan(entries, owner, {}, { now: NOW }).remove).toEqual([]);
  });

  it('keeps grandfather-father-son: the newest of the last days, ISO weeks and months with a backup', () => {
    // Two backups a day (03:00 and 15:00) for 120 days.
    const entries: BackupEntry[] = [];
    for (let d = 0; d < 120; d += 1) for (const hour of [15, 3]) entries.push(entry(`b-${d}-${hour}`, daysAgo(d, hour)));
    const plan = retentionPlan(entries, owner, { daily: 7, weekly: 4, monthly: 6 }, { now: NOW });
    const kept = plan.keep.map((d) => d.entry);
    const days = new Set(kept.map((e) => e.createdAt.toDateString()));
    expect(kept.every((e) => e.createdAt.getHours() === 15)).toBe(true); // the newest of each day
    for (let d = 0; d < 7; d += 1) expect(days.has(daysAgo(d).toDateString())).toBe(true);
    const weeks = new Set(kept.map((e) => isoWeek(e.createdAt)));
    expect(weeks.size).toBeGreaterThanOrEqual(4);
    const months = new Set(kept.map((e) => `${e.createdAt.getFullYear()}-${e.createdAt.getMonth()}`));
    expect(months.size).toBe(5); // 120 days span 5 calendar months here: all of them kept once
    expect(kept.length).toBeLessThanOrEqual(7 + 4 + 6);
    expect(plan.keep.length + plan.remove.length).toBe(240);
    const sunday = plan.keep.find((d) => d.why.includes('weekly') && d.why.includes('daily'));
    expect(sunday?.why).toMatch(/^newest|daily \d{4}-\d\d-\d\d, weekly \d{4}-W\d\d/);
  });

  it('keeps those younger than D days, yet never leaves a kind without its newest', () => {
    const entries = [entry('a', daysAgo(40)), entry('b', daysAgo(41)), entry('c', daysAgo(2)), entry('d', daysAgo(45))];
    expect(names(retentionPlan(entries, owner, { days: 30 }, { now: NOW }).remove)).toEqual(['a', 'b', 'd']);
    const stopped = [entry('a', daysAgo(40)), entry('b', daysAgo(41))];
    const plan = retentionPlan(stopped, owner, { days: 30 }, { now: NOW });
    expect(names(plan.remove)).toEqual(['b']);
    expect(plan.keep.map((d) => d.why)).toEqual(['newest']);
  });

  it('counts safety and pre-update backups apart from the admin\'s own', () => {
    const entries = [
      entry('s3', daysAgo(1), { kind: 'safety' }),
      entry('s2', daysAgo(2), { kind: 'safety' }),
      entry('b2', daysAgo(3)),
      entry('u1', daysAgo(4), { kind: 'update' }),
      entry('b1', daysAgo(5)),
      entry('s1', daysAgo(6), { kind: 'safety' }),
    ];
    expect(names(retentionPlan(entries, owner, { last: 1 }, { now: NOW }).remove)).toEqual(['b1', 's1', 's2']);
  });

  it('neither counts nor removes pinned backups, and never the backup just made', () => {
    const pins: BackupPin[] = [
      { path: '/b/pre-update', kind: 'update', reason: 'pre-update backup', since: '' },
      { path: '/b/tested', kind: 'restore-test', reason: 'last restore-tested backup', since: '' },
    ];
    const entries = [entry('future', daysAgo(-1)), entry('new', daysAgo(0)), entry('pre-update', daysAgo(1)), entry('tested', daysAgo(2)), entry('b1', daysAgo(3)), entry('b0', daysAgo(4))];
    const plan = retentionPlan(entries, owner, { last: 2 }, { pins, protect: '/b/new', now: NOW });
    expect(names(plan.remove)).toEqual(['b0', 'b1']);
    expect(plan.untouched.map((d) => d.why)).toEqual(['pinned (update): pre-update backup', 'pinned (restore-test): last restore-tested backup']);
  });

  it('says its plan in words', () => {
    expect(policyText({ daily: 7, weekly: 4, monthly: 6 })).toBe('keep 7 daily, 4 weekly, 6 monthly');
    expect(policyText({ last: 3, days: 30 })).toBe('keep newest 3, 30 days');
    expect(policyText({})).toBe('keep all');
    expect(isoWeek(new Date(2021, 0, 3))).toBe('2020-W53');
    expect(isoWeek(new Date(2026, 10, 25))).toBe('2026-W48');
  });
});
