import type pg from 'pg';
import { withClient } from '../db/connect.js';
import type { DatabaseSettings } from '../instance/types.js';
import { takeSnapshot } from '../monitor/snapshot.js';
import type { Session } from '../monitor/types.js';

/**
 * The other sessions of the database (pg_stat_activity, ours left out), read the monitor's way. A restore shows
 * them before it starts: an idle-in-transaction client holds locks the restore would wait for, and a web server
 * still connected will serve from the database while it is replaced.
 */
export async function otherSessions(db: DatabaseSettings): Promise<Session[]> {
  return withClient(db, sessionsOn);
}

export async function sessionsOn(client: pg.Client): Promise<Session[]> {
  return (await takeSnapshot(client, { stats: false })).sessions;
}

/** 4 s, 3 min, 2 h, 5 d. */
function age(seconds: number | null): string {
  if (seconds === null) return '?';
  if (seconds < 60) return `${Math.floor(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}

/** `pid 4211 (uwsgi, 10.0.0.5, idle in transaction, since 2 min)`: who, from where, doing what, how long. */
export function sessionLine(s: Session): string {
  const since = s.state === 'active' ? s.queryAge : s.state?.startsWith('idle in transaction') ? s.xactAge : s.backendAge;
  const parts = [s.app || 'no application name', s.client ?? 'client hidden', s.state ?? 'state hidden', `since ${age(since ?? s.backendAge)}`];
  return `pid ${s.pid}${s.user ? ` ${s.user}` : ''} (${parts.join(', ')})`;
}
