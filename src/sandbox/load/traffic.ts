import type pg from 'pg';
import type { ClientPool } from './clients.js';

/** The pieces of CATMAID-shaped traffic, each a loop that ends when `running()` turns false. */
export interface TrafficContext {
  pool: ClientPool;
  running: () => boolean;
  /** Resolves after `ms`, or at once when the load stops. */
  pause: (ms: number) => Promise<void>;
  /** The statement a request runs (reads treenodes when the sandbox has them). */
  requestSql: string;
  stats: { requests: number; errors: number; leaked: number };
}


const between = (min: number, max: number): number => min + Math.random() * (max - min);

/** Django with ATOMIC_REQUESTS: each request is one transaction. */
async function request(client: pg.Client, sql: string): Promise<void> {
  await client.query('BEGIN');
  await client.query(sql);
  await client.query('COMMIT');
}

/**
 * A WSGI worker thread: with CONN_MAX_AGE 0 a new connection per request; otherwise one connection, replaced
 * when it is older than CONN_MAX_AGE seconds (null = never), as Django closes it at the end of such a request.
 */
export async function workerLoop(ctx: TrafficContext, connMaxAge: number | null, app: string,
  initial: pg.Client | null = null): Promise<void> {
  let client = initial;
  let openedAt = Date.now();
  while (ctx.running()) {
    try {
      if (!client) {
        client = await ctx.pool.connect('worker', app);
        openedAt = Date.now();
      }
      await request(client, ctx.requestSql);
      ctx.stats.requests += 1;
      if (connMaxAge === 0 || (connMaxAge !== null && Date.now() - openedAt > connMaxAge * 1000)) {
        await ctx.pool.close(client);
        client = null;
      }
    } catch {
      if (!ctx.running()) break;
      ctx.stats.errors += 1;
      if (client) await ctx.pool.close(client);
      client = null;
      await ctx.pause(1000);
    }
    await ctx.pause(between(100, 600));
  }
  if (client) await ctx.pool.close(client);
}

/** A slow report: pg_sleep for 15–45 s, again and again, on one connection. */
export async function longQueryLoop(ctx: TrafficContext, app: string): Promise<void> {
  let client: pg.Client | null = null;
  while (ctx.running()) {
    try {
      client ??= await ctx.pool.connect('long', app);
      await client.query(`SELECT pg_sleep(${between(15, 45).toFixed(1)}) /* long report */`);
    } catch {
      if (!ctx.running()) break;
      ctx.stats.errors += 1;
      if (client) await ctx.pool.close(client);
      client = null;
      await ctx.pause(1000);
    }
  }
}

/**
 * A session left idle in transaction while holding a lock, and a query waiting for that lock: the monitor's
 * "blocked by" case. Resolves once the waiter waits; both stay until the load stops.
 */
export async function startBlockedPair(ctx: TrafficContext, app: string): Promise<{ holder: number; waiter: number }> {
  // A key of its own, so two loads on one sandbox do not wait for each other.
  const key = 5_000_000 + Math.floor(Math.random() * 1_000_000);
  const holder = await ctx.pool.connect('holder', app);
  await holder.query('BEGIN');
  await holder.query(`SELECT pg_advisory_xact_lock(${key}) /* UPDATE treenode … held open */`);
  const waiter = await ctx.pool.connect('waiter', app);
  waiter.query(`SELECT pg_advisory_xact_lock(${key}) /* waits for the open transaction */`).catch(() => undefined);
  const pid = (c: pg.Client): number => (c as unknown as { processID: number }).processID;
  // Resolve once the server shows the waiter waiting, so a snapshot right after sees it blocked.
  const probe = await ctx.pool.connect('worker', 'catmaid-tui load (probe)');
  try {
    for (let i = 0; i < 50; i += 1) {
      const { rows } = await probe.query<{ waiting: boolean }>(
        "SELECT coalesce(bool_or(wait_event_type = 'Lock'), false) AS waiting FROM pg_stat_activity WHERE pid = $1", [pid(waiter)]);
      if (rows[0].waiting) break;
      await ctx.pause(100);
    }
  } finally {
    await ctx.pool.close(probe);
  }
  return { holder: pid(holder), waiter: pid(waiter) };
}

/** Greenlet-style leak: a new connection every `everyMs`, used once and never closed, up to `max`. */
export async function leakLoop(ctx: TrafficContext, app: string, everyMs: number, max: number): Promise<void> {
  while (ctx.running() && ctx.stats.leaked < max) {
    try {
      const client = await ctx.pool.connect('leak', app);
      await request(client, ctx.requestSql);
      ctx.stats.leaked += 1;
    } catch {
      // "too many clients": the server is full; a real leak would now break the site. Stop leaking.
      if (ctx.running()) ctx.stats.errors += 1;
      break;
    }
    await ctx.pause(everyMs);
  }
}
