import { describe, expect, it } from 'vitest';
import { cacheHitSinceReset, ratesBetween } from '../../src/tasks/monitor/rates.js';
import { Ring } from '../../src/tasks/monitor/ring.js';

const sample = (at: number, xacts: number, blksHit: number, blksRead: number) => ({ at, xacts, blksHit, blksRead });

describe('rates from two samples of pg_stat_database', () => {
  it('gives transactions per second and the cache hit of the interval, the monitor’s own left out', () => {
    const rates = ratesBetween(sample(10_000, 1000, 9000, 100), sample(12_000, 1086, 9990, 110), 4);
    expect(rates.tps).toBeCloseTo(41);
    expect(rates.cacheHit).toBeCloseTo(0.99);
  });

  it('reads a quiet server as 0 tps, not the monitor’s refresh rate', () => {
    expect(ratesBetween(sample(0, 10, 0, 0), sample(1000, 12, 0, 0), 2)).toEqual({ tps: 0, cacheHit: null });
  });

  it('gives no rate across a statistics reset or without a first sample', () => {
    expect(ratesBetween(sample(0, 5000, 10, 10), sample(1000, 3, 1, 1))).toEqual({ tps: null, cacheHit: null });
    expect(ratesBetween(undefined, sample(1000, 3, 1, 1))).toEqual({ tps: null, cacheHit: null });
  });

  it('falls back to the hit ratio since the reset for the first refresh', () => {
    expect(cacheHitSinceReset(sample(0, 1, 99, 1))).toBeCloseTo(0.99);
    expect(cacheHitSinceReset(sample(0, 1, 0, 0))).toBeNull();
  });
});

describe('the ring buffer of the sparklines', () => {
  it('keeps only the newest values, oldest first, however many are pushed', () => {
    const ring = new Ring<number>(3);
    for (let i = 1; i <= 1000; i += 1) ring.push(i);
    expect(ring.values()).toEqual([998, 999, 1000]);
    expect(ring.length).toBe(3);
    expect(ring.last()).toBe(1000);
  });

  it('starts empty and fills in order', () => {
    const ring = new Ring<string>(4);
    expect(ring.values()).toEqual([]);
    expect(ring.last()).toBeUndefined();
    ring.push('a');
    ring.push('b');
    expect(ring.values()).toEqual(['a', 'b']);
    ring.clear();
    expect(ring.length).toBe(0);
  });

  it('refuses a capacity below 1', () => {
    expect(() => new Ring(0)).toThrow(RangeError);
  });
});
