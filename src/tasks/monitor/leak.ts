/**
 * The leak watch (catmaid-facts: with persistent connections the CATMAID role's connections should equal the
 * WSGI worker threads plus admin sessions; a count that keeps growing means leaked connections → back to
 * CONN_MAX_AGE = 0). A pure function over a series of samples, so scripted series can test it.
 */

export interface LeakPoint {
  /** Milliseconds. */
  at: number;
  /** The CATMAID role's connections. */
  role: number;
  /** WSGI worker threads found for the instance; null when none were found. */
  workers: number | null;
}

export type LeakTrend = 'rising' | 'flat' | 'noisy' | 'unknown';

export interface LeakVerdict {
  trend: LeakTrend;
  /** Rising while workers stayed the same and persistent connections are on: the warning band. */
  leak: boolean;
  /** Flat and equal to the workers (+ admin sessions) with persistent connections on. */
  healthy: boolean;
  message: string;
}

export interface LeakOptions {
  /** Django's CONN_MAX_AGE: 0 = a connection per request, null = forever. */
  connMaxAge: number | null;
  role?: string;
  windowMs?: number;
  /** Less history than this is not judged. */
  minSpanMs?: number;
  /** How many connections above the workers admin sessions may explain. */
  adminMargin?: number;
  /** The least net rise called a leak. */
  minRise?: number;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** Rising: the last third is clearly above the first and the drops on the way are small next to the climbs. */
export function trendOf(values: number[], minRise: number): LeakTrend {
  if (values.length < 3) return 'unknown';
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (max - min <= 1) return 'flat';
  const third = Math.max(1, Math.floor(values.length / 3));
  const rise = mean(values.slice(-third)) - mean(values.slice(0, third));
  let up = 0;
  let down = 0;
  for (let i = 1; i < values.length; i += 1) {
    const step = values[i] - values[i - 1];
    if (step > 0) up += step;
    else down -= step;
  }
  return rise >= minRise && down <= up * 0.25 ? 'rising' : 'noisy';
}

export function leakVerdict(points: readonly LeakPoint[], options: LeakOptions): LeakVerdict {
  const { connMaxAge, role = 'CATMAID role', windowMs = 180_000, minSpanMs = 30_000, adminMargin = 2, minRise = 3 } = options;
  const last = points[points.length - 1];
  const window = last ? points.filter((p) => p.at >= last.at - windowMs) : [];
  const span = window.length > 0 ? last.at - window[0].at : 0;
  if (window.length < 3 || span < minSpanMs) {
    return { trend: 'unknown', leak: false, healthy: false,
      message: `watching ${role} connections (${duration(span)} of ${duration(minSpanMs)} needed)` };
  }
  const values = window.map((p) => p.role);
  const trend = trendOf(values, minRise);
  const first = window[0];
  const workersSteady = window.every((p) => p.workers === first.workers);
  const persistent = connMaxAge !== 0;
  const now = last.role;
  const workers = last.workers;
  if (trend === 'rising') {
    const climb = `${role} connections rose from ${first.role} to ${now} in ${duration(span)}`;
    if (!persistent) {
      return { trend, leak: false, healthy: false,
        message: `${climb} with CONN_MAX_AGE 0 (a connection per request): another client keeps connections open` };
    }
    if (!workersSteady) {
      return { trend, leak: false, healthy: false,
        message: `${climb} while the workers changed (${first.workers ?? 'none'} → ${workers ?? 'none'}): not judged` };
    }
    return { trend, leak: true, healthy: false,
      message: `${climb} while workers stayed at ${workers ?? 'none found'}: connections are leaking. ` +
        'Set CONN_MAX_AGE = 0 in settings.py (a new connection per request) and restart the server.' };
  }
  if (trend === 'noisy') {
    return { trend, leak: false, healthy: false,
      message: `${role} connections vary between ${Math.min(...values)} and ${Math.max(...values)}: no steady trend` };
  }
  if (!persistent) {
    return { trend, leak: false, healthy: false,
      message: `steady at ${now} ${role} connections; CONN_MAX_AGE 0: a new connection per request` };
  }
  if (workers === null || workers === 0) {
    return { trend, leak: false, healthy: false,
      message: `steady at ${now} ${role} connections (no server workers found to compare with)` };
  }
  if (now >= workers && now <= workers + adminMargin) {
    return { trend, leak: false, healthy: true,
      message: `persistent connections are healthy: ${now} connections ≈ ${workers} workers (+ admin sessions)` };
  }
  return { trend, leak: false, healthy: false,
    message: `steady at ${now} ${role} connections for ${workers} workers` +
      (now > workers ? ': other clients or admin sessions' : ': some workers have no connection yet') };
}
