import type { StatsSample } from './types.js';

export interface Rates {
  /** Transactions per second between the two samples, the monitor's own left out; null when unknown. */
  tps: number | null;
  /** Share of block reads served from shared buffers between the samples (0–1); null with no reads at all. */
  cacheHit: number | null;
}

export const NO_RATES: Rates = { tps: null, cacheHit: null };

/**
 * Rates from the deltas between two samples of pg_stat_database (as pgcenter does), never from a second
 * query. `ownXacts` is how many transactions the monitor itself ran in between: a quiet server should read 0,
 * not the monitor's own refresh rate. A counter that went backwards (stats reset) gives no rate.
 */
export function ratesBetween(before: StatsSample | undefined, after: StatsSample | undefined, ownXacts = 0): Rates {
  if (!before || !after) return NO_RATES;
  const seconds = (after.at - before.at) / 1000;
  const xacts = after.xacts - before.xacts;
  const hit = after.blksHit - before.blksHit;
  const read = after.blksRead - before.blksRead;
  if (seconds <= 0 || xacts < 0 || hit < 0 || read < 0) return NO_RATES;
  return {
    tps: Math.max(0, xacts - ownXacts) / seconds,
    cacheHit: hit + read > 0 ? hit / (hit + read) : null,
  };
}

/** Cache hit since the statistics were last reset, for the first refresh before there is a delta. */
export function cacheHitSinceReset(sample: StatsSample | undefined): number | null {
  if (!sample || sample.blksHit + sample.blksRead === 0) return null;
  return sample.blksHit / (sample.blksHit + sample.blksRead);
}
