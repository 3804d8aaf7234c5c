import { describe, expect, it } from 'vitest';
import { leakVerdict, trendOf, type LeakPoint } from '../../src/tasks/monitor/leak.js';

/** One sample a second for `values.length` seconds, the workers fixed unless given per sample. */
function series(values: number[], workers: number | null | (number | null)[] = 4): LeakPoint[] {
  return values.map((role, i) => ({ at: 1_000_000 + i * 1000, role, workers: Array.isArray(workers) ? workers[i] : workers }));
}

const ramp = (from: number, to: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => Math.round(from + ((to - from) * i) / (n - 1)));

describe('the leak watch', () => {
  it('warns when the CATMAID role keeps opening connections while the workers stay at 4', () => {
    const verdict = leakVerdict(series(ramp(4, 40, 90)), { connMaxAge: 60, role: 'catmaid_user' });
    expect(verdict.trend).toBe('rising');
    expect(verdict.leak).toBe(true);
    expect(verdict.message).toContain('rose from 4 to 40');
    expect(verdict.message).toContain('workers stayed at 4');
    expect(verdict.message).toContain('CONN_MAX_AGE = 0');
  });

  it('still calls a staircase with an occasional close a rise', () => {
    const values = [4, 4, 5, 5, 6, 6, 6, 7, 6, 7, 8, 8, 9, 9, 9, 10, 11, 11, 10, 12, 12, 13, 13, 14, 14, 15, 15, 16, 16, 17, 17, 18];
    expect(trendOf(values, 3)).toBe('rising');
  });

  it('says persistent connections are healthy when the count sits at the workers', () => {
    const verdict = leakVerdict(series([4, 5, 4, 4, 5, 5, 4, 4, 4, 5, 4, 4, 4, 4, 4, 5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5]),
      { connMaxAge: 60 });
    expect(verdict.trend).toBe('flat');
    expect(verdict.healthy).toBe(true);
    expect(verdict.leak).toBe(false);
    expect(verdict.message).toMatch(/healthy: 5 connections ≈ 4 workers/);
  });

  it('calls a count that goes up and down noisy, not a leak', () => {
    const values = Array.from({ length: 60 }, (_, i) => [3, 9, 4, 10, 2, 8][i % 6]);
    const verdict = leakVerdict(series(values), { connMaxAge: 60 });
    expect(verdict.trend).toBe('noisy');
    expect(verdict.leak).toBe(false);
    expect(verdict.message).toContain('vary between 2 and 10');
  });

  it('does not blame a leak when the rise comes with more workers', () => {
    const workers = Array.from({ length: 60 }, (_, i) => (i < 30 ? 4 : 8));
    const verdict = leakVerdict(series(ramp(4, 12, 60), workers), { connMaxAge: 60 });
    expect(verdict.trend).toBe('rising');
    expect(verdict.leak).toBe(false);
    expect(verdict.message).toContain('workers changed (4 → 8)');
  });

  it('with CONN_MAX_AGE 0 a rise is someone else keeping connections, not Django', () => {
    const verdict = leakVerdict(series(ramp(1, 20, 60)), { connMaxAge: 0 });
    expect(verdict.leak).toBe(false);
    expect(verdict.message).toContain('another client keeps connections open');
  });

  it('waits for enough history before judging', () => {
    const verdict = leakVerdict(series([4, 9, 14, 19, 24]), { connMaxAge: 60 });
    expect(verdict.trend).toBe('unknown');
    expect(verdict.message).toContain('4 s of 30 s needed');
  });

  it('only judges the window: an old climb that stopped reads flat', () => {
    const values = [...ramp(4, 20, 60), ...Array.from({ length: 200 }, () => 20)];
    const verdict = leakVerdict(series(values), { connMaxAge: null, windowMs: 120_000 });
    expect(verdict.trend).toBe('flat');
    expect(verdict.message).toContain('steady at 20 CATMAID role connections for 4 workers: other clients');
  });

  it('says when there are no workers to compare with', () => {
    const verdict = leakVerdict(series(Array.from({ length: 40 }, () => 6), null), { connMaxAge: 60 });
    expect(verdict.message).toContain('no server workers found');
  });
});
