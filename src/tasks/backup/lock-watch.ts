import pg from 'pg';
import { clientConfig, withClient } from '../db/connect.js';
import { oneLine } from '../errors.js';
import type { DatabaseSettings } from '../instance/types.js';
import { signalBackend } from '../monitor/actions.js';
import { readServerInfo } from '../monitor/snapshot.js';
import type { Session } from '../monitor/types.js';
import { sessionsOn } from './sessions.js';

/** A restore waiting for a lock: who holds it, and since when the restore waits. */
export interface LockWait {
  blockers: Session[];
  waitedMs: number;
}

/**
 * What the admin chose: go on waiting, cancel the blockers' queries or end their sessions (the monitor's
 * actions, with its rules on who may signal whom), or abort the restore (rolled back).
 */
export type LockChoice = 'wait' | 'cancel' | 'terminate' | 'abort';

export type LockDecider = (wait: LockWait, over: AbortSignal) => Promise<LockChoice>;

const WAITING_SQL = `SELECT pg_blocking_pids(pid) AS blockers, date_part('epoch', now() - state_change) AS waited
FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`;

export interface LockWatchInput {
  db: DatabaseSettings;
  /** The application_name the watched program connects with (PGAPPNAME). */
  appName: string;
  /**
   * Called once for each new set of blockers; its answer is carried out before the next look. `over` aborts when
   * the watch stops (the load ended): a pending question is moot then.
   */
  decide: LockDecider;
  onAbort: (wait: LockWait) => void;
  /** A look or a signal that failed (e.g. may not end a superuser's session): said, then asked again. */
  onProblem: (message: string) => void;
  intervalMs?: number;
}

/**
 * Looks every second whether the program connected as `appName` waits for a lock, and whose. Without this a
 * restore behind an idle-in-transaction client said "running" forever. Returns the function that stops it.
 */
export function watchLocks(input: LockWatchInput): () => Promise<void> {
  let stopped = false;
  const over = new AbortController();
  const stopping = new Promise<'wait'>((resolve) => over.signal.addEventListener('abort', () => resolve('wait'), { once: true }));
  let asked = '';
  const client = new pg.Client(clientConfig(input.db, { application_name: 'catmaid-tui lock watch' }));
  client.on('error', () => undefined);
  const blockers = async () => {
    const { rows } = await client.query<{ blockers: number[]; waited: number }>(WAITING_SQL, [input.appName]);
    const pids = [...new Set(rows.flatMap((r) => r.blockers.map(Number)))].sort((a, b) => a - b);
    return { rows, pids };
  };
  const look = async () => {
    const { rows, pids } = await blockers();
    if (pids.length === 0 || pids.join(',') === asked) return;
    asked = pids.join(',');
    const sessions = await sessionsOn(client);
    const wait: LockWait = {
      blockers: pids.map((pid) => sessions.find((s) => s.pid === pid) ?? hiddenSession(pid)),
      waitedMs: Math.max(...rows.map((r) => Number(r.waited))) * 1000,
    };
    const choice = await Promise.race([input.decide(wait, over.signal), stopping]);
    // An answer takes a while; what it was about may have ended meanwhile (the lock released).
    if (stopped || (await blockers()).pids.join(',') !== asked) return;
    if (choice === 'abort') input.onAbort(wait);
    else if (choice !== 'wait') {
      const me = await readServerInfo(client);
      for (const blocker of wait.blockers) await signalBackend(client, me, blocker, choice);
      asked = '';
    }
  };
  const loop = (async () => {
    await client.connect();
    while (!stopped) {
      await look().catch((err: unknown) => {
        asked = '';
        if (!stopped) input.onProblem(oneLine(err));
      });
      await new Promise((resolve) => setTimeout(resolve, input.intervalMs ?? 1000));
    }
  })().catch(() => undefined);
  return async () => {
    stopped = true;
    over.abort();
    await loop;
    await client.end().catch(() => undefined);
  };
}

/** A blocker pg_stat_activity does not show us (another role's, in another database). */
function hiddenSession(pid: number): Session {
  return {
    pid, user: null, app: '', client: null, database: null, state: null, waitEventType: null, waitEvent: null,
    xactAge: null, queryAge: null, backendAge: null, query: null, blockedBy: [], clientPort: null, xminAge: null, process: null,
  };
}

/**
 * End the server sessions of a program that was stopped: a backend waiting for a lock does not notice its client
 * is gone, and would hold the locks its transaction already took until the lock it waits for comes free.
 */
export async function endSessionsOf(db: DatabaseSettings, appName: string): Promise<void> {
  await withClient(db, (client) =>
    client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`, [appName]),
  );
}
