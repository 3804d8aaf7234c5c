import { describe, expect, it } from 'vitest';
import { countSessions } from '../../src/tasks/monitor/counts.js';
import type { Session } from '../../src/tasks/monitor/types.js';

type ActivityRow = Session & { here: boolean };

const row = (over: Partial<ActivityRow>): ActivityRow => ({
  pid: 1, user: 'catmaid_user', app: 'gunicorn', client: '127.0.0.1', database: 'catmaid', here: true, state: 'idle',
  waitEventType: 'Client', waitEvent: 'ClientRead', xactAge: null, queryAge: 1, backendAge: 10, query: 'COMMIT',
  blockedBy: [], clientPort: 40000, xminAge: null, process: null, ...over,
});

describe('counts by state', () => {
  const rows = [
    row({ pid: 1, state: 'active', waitEventType: null }),
    row({ pid: 2, state: 'active', waitEventType: 'Lock', blockedBy: [3] }),
    row({ pid: 3, state: 'idle in transaction' }),
    row({ pid: 4, state: 'idle in transaction (aborted)', user: 'admin' }),
    row({ pid: 5 }),
    row({ pid: 6, state: null, user: 'backup', here: true }),
    row({ pid: 7, database: 'postgres', here: false }),
  ];

  it('counts the connected database’s sessions, and the whole cluster against max_connections', () => {
    expect(countSessions(rows, 'catmaid_user', rows.map((r) => r.here))).toEqual({
      total: 6, clusterTotal: 7, active: 2, idle: 1, idleInTransaction: 1, idleInTransactionAborted: 1, waiting: 1,
      hidden: 1, role: 4, roleActive: 2,
    });
  });

  it('counts every database with --all-databases', () => {
    expect(countSessions(rows, 'catmaid_user', null)).toMatchObject({ total: 7, idle: 2, role: 5 });
  });
});
