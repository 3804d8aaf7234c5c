/**
 * Real client traffic against a sandbox database, shaped like CATMAID's (issue 5, "the sandbox, made lively"):
 *
 *   const load = await startLoad({ db, workers: 4, connMaxAge: 60, leak: false, durationMs: 60_000 });
 *   load.sessions()   // [{ pid, role: 'worker' | 'long' | 'holder' | 'waiter' | 'leak', app }]
 *   load.blocked      // { holder, waiter }: the pid holding the lock (idle in transaction) and the one waiting
 *   await load.stop() // ends every connection (terminating their backends); also runs after durationMs
 *
 * startLoad resolves once the workers are connected and the blocked query waits, so a snapshot taken right
 * after sees all of it. Only 127.0.0.1: this never points traffic at a real server.
 */
import { RefusedError } from '../../tasks/errors.js';
import type { DatabaseSettings } from '../../tasks/instance/types.js';
import { ClientPool, type LoadSession } from './clients.js';
import { leakLoop, longQueryLoop, startBlockedPair, workerLoop, type TrafficContext } from './traffic.js';

export type { LoadSession, LoadRole } from './clients.js';

export interface LoadOptions {
  /** The CATMAID role's credentials (settings.py); host must be 127.0.0.1. */
  db: DatabaseSettings;
  /** WSGI worker threads (default 4). */
  workers?: number;
  /** Like Django's CONN_MAX_AGE: 0 = a connection per request, null = forever (default 60). */
  connMaxAge?: number | null;
  /** Also open a connection every `leakEveryMs` and never close it. */
  leak?: boolean;
  leakEveryMs?: number;
  leakMax?: number;
  /** Long pg_sleep queries running at any time (default 2). */
  longQueries?: number;
  /** The idle-in-transaction lock holder and its blocked waiter (default true). */
  blocked?: boolean;
  /** Stop by itself after this long; 0 or absent = only stop(). */
  durationMs?: number;
}

export interface LoadStats {
  requests: number;
  errors: number;
  leaked: number;
  open: number;
}

export interface LoadHandle {
  stop(): Promise<void>;
  /** Resolves when the load has stopped (by stop() or after durationMs). */
  done: Promise<void>;
  sessions(): LoadSession[];
  blocked: { holder: number; waiter: number } | null;
  stats(): LoadStats;
}

export const WORKER_APP = 'gunicorn';
export const BACKGROUND_APP = 'catmaid-worker';

async function requestSqlFor(pool: ClientPool): Promise<string> {
  const probe = await pool.connect('worker', 'catmaid-tui load (probe)');
  try {
    const { rows } = await probe.query<{ has: boolean }>("SELECT to_regclass('treenode') IS NOT NULL AS has");
    return rows[0].has
      ? 'SELECT id, parent_id, location_x, location_y, location_z FROM treenode ORDER BY id LIMIT 50 OFFSET (random() * 500)::int'
      : 'SELECT count(*) FROM pg_class';
  } finally {
    await pool.close(probe);
  }
}

export async function startLoad(options: LoadOptions): Promise<LoadHandle> {
  if (options.db.host !== '127.0.0.1') {
    throw new RefusedError(`load is only sent to 127.0.0.1, not ${options.db.host || 'the local socket'}`,
      'point it at a sandbox: catmaid-tui sandbox load [DIR]');
  }
  const pool = new ClientPool(options.db);
  let running = true;
  const sleepers = new Set<() => void>();
  const stats = { requests: 0, errors: 0, leaked: 0 };
  const ctx: TrafficContext = {
    pool,
    running: () => running,
    pause: (ms) => new Promise((resolve) => {
      if (!running) return resolve();
      const wake = (): void => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    }),
    requestSql: await requestSqlFor(pool),
    stats,
  };
  const loops: Promise<void>[] = [];
  const connMaxAge = options.connMaxAge === undefined ? 60 : options.connMaxAge;
  const workers = options.workers ?? 4;
  let blocked: LoadHandle['blocked'] = null;
  let resolveDone = (): void => undefined;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  let stopping: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      running = false;
      clearTimeout(timer);
      for (const wake of [...sleepers]) wake();
      await pool.closeAll();
      await Promise.allSettled(loops);
      resolveDone();
    })();
    return stopping;
  };
  try {
    // The first request of each worker opens its connection; wait for those so callers see them.
    const first = await Promise.all(Array.from({ length: workers }, () => pool.connect('worker', WORKER_APP)));
    for (const client of first) loops.push(workerLoop(ctx, connMaxAge, WORKER_APP, client));
    for (let i = 0; i < (options.longQueries ?? 2); i += 1) loops.push(longQueryLoop(ctx, BACKGROUND_APP));
    if (options.blocked !== false) blocked = await startBlockedPair(ctx, WORKER_APP);
    if (options.leak) loops.push(leakLoop(ctx, WORKER_APP, options.leakEveryMs ?? 1500, options.leakMax ?? 150));
  } catch (err) {
    await stop();
    throw err;
  }
  if (options.durationMs && options.durationMs > 0) timer = setTimeout(() => void stop(), options.durationMs);
  return {
    stop,
    done,
    sessions: () => pool.sessions(),
    blocked,
    stats: () => ({ ...stats, errors: stats.errors + pool.errors, open: pool.sessions().length }),
  };
}
