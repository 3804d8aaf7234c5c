import type { Counts, Session } from './types.js';

/** One client backend as read, before scoping: `here` is true for the connected database. */
export interface ActivityRow extends Session {
  here: boolean;
}

/**
 * Counts by state of the sessions in scope (this database, or all), plus the cluster-wide total that counts
 * against max_connections. Waiting sessions are also active, as in pg_stat_activity.
 */
export function countSessions(rows: readonly ActivityRow[], role: string | undefined, allDatabases = false): Counts {
  const counts: Counts = {
    total: 0, clusterTotal: rows.length, active: 0, idle: 0, idleInTransaction: 0, idleInTransactionAborted: 0,
    waiting: 0, hidden: 0, role: 0, roleActive: 0,
  };
  for (const row of rows) {
    if (!allDatabases && !row.here) continue;
    counts.total += 1;
    if (row.state === 'active') counts.active += 1;
    else if (row.state === 'idle') counts.idle += 1;
    else if (row.state === 'idle in transaction') counts.idleInTransaction += 1;
    else if (row.state === 'idle in transaction (aborted)') counts.idleInTransactionAborted += 1;
    else if (row.state === null) counts.hidden += 1;
    if (row.waitEventType === 'Lock') counts.waiting += 1;
    if (role !== undefined && row.user === role) {
      counts.role += 1;
      if (row.state === 'active') counts.roleActive += 1;
    }
  }
  return counts;
}
