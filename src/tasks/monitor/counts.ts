import type { Counts, Session } from './types.js';

/**
 * Counts by state of the sessions in scope (`inScope[i]` for row i: those of the connected database; null: all
 * of them), plus the cluster-wide total that counts against max_connections. Waiting sessions are also active,
 * as in pg_stat_activity.
 */
export function countSessions(rows: readonly Session[], role: string | undefined, inScope: readonly boolean[] | null): Counts {
  const counts: Counts = {
    total: 0, clusterTotal: rows.length, active: 0, idle: 0, idleInTransaction: 0, idleInTransactionAborted: 0,
    waiting: 0, hidden: 0, role: 0, roleActive: 0,
  };
  for (let i = 0; i < rows.length; i += 1) {
    if (inScope && !inScope[i]) continue;
    const row = rows[i];
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
