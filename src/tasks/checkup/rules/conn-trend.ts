/**
 * Reading a series of connection counts: stable (persistent connections, one per worker thread) or growing
 * (connections are opened and never closed again — greenlet workers with CONN_MAX_AGE > 0).
 */
export interface Trend {
  min: number;
  max: number;
  first: number;
  last: number;
  /** The count kept rising over the window: most steps up, hardly any down, and clearly higher at the end. */
  growing: boolean;
  /** Stayed within one connection (or 10% of the maximum) of itself. */
  stable: boolean;
}

export function trendOf(series: readonly number[]): Trend {
  if (series.length === 0) return { min: 0, max: 0, first: 0, last: 0, growing: false, stable: true };
  const min = Math.min(...series);
  const max = Math.max(...series);
  const first = series[0];
  const last = series[series.length - 1];
  let up = 0;
  let down = 0;
  for (let i = 1; i < series.length; i++) {
    if (series[i] > series[i - 1]) up++;
    else if (series[i] < series[i - 1]) down++;
  }
  const steps = series.length - 1;
  const growing = steps >= 2 && last - first >= 2 && up >= steps / 2 && down <= Math.max(1, steps / 5);
  const stable = max - min <= Math.max(1, Math.round(max * 0.1));
  return { min, max, first, last, growing, stable };
}

/** '4–5' or '4'. */
export function rangeText(trend: Trend): string {
  return trend.min === trend.max ? String(trend.min) : `${trend.min}–${trend.max}`;
}
