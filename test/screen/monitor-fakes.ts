import type { MonitorSource } from '../../src/hooks/useMonitor.js';
import type { ClientProcess } from '../../src/tasks/monitor/programs.js';
import { NO_REPLICATION } from '../../src/tasks/monitor/replication.js';
import type { MonitorState } from '../../src/tasks/monitor/session.js';
import type { Session } from '../../src/tasks/monitor/types.js';

/** Scripted Monitor data for screen tests: sessions of a CATMAID database and a source that hands them out. */
export const proc = (program: ClientProcess['program'], label: string, pid: number): ClientProcess => ({ pid, ppid: 1, program, label, user: 'www-data' });

export const session = (over: Partial<Session>): Session => ({
  pid: 0, user: 'catmaid_user', app: 'gunicorn', client: '10.0.0.5', clientPort: 40000, database: 'catmaid', state: 'idle',
  waitEventType: 'Client', waitEvent: 'ClientRead', xactAge: null, queryAge: 5, backendAge: 300,
  query: 'SELECT 1', blockedBy: [], xminAge: null, process: null, ...over,
});

/** Four busy sessions whose five sort orders all differ, and one idle. */
export const SESSIONS: Session[] = [
  session({ pid: 40100, user: 'alice', state: 'active', waitEventType: null, waitEvent: null, queryAge: 5, xactAge: 600,
    query: 'SELECT t.id, t.parent_id FROM treenode t WHERE t.skeleton_id = 17', process: proc('uwsgi', 'uwsgi worker 1', 9101) }),
  session({ pid: 40200, user: 'dave', state: 'idle in transaction', queryAge: 50, xactAge: 500,
    query: 'UPDATE treenode SET radius = 2 WHERE id = 5', process: proc('psql', 'psql (alice)', 9102) }),
  session({ pid: 40300, user: 'carol', state: 'active', waitEventType: 'Lock', waitEvent: 'relation', queryAge: 20, xactAge: 20,
    query: 'ALTER TABLE treenode ADD COLUMN note text', blockedBy: [40200], process: proc('celery-worker', 'celery worker', 9103) }),
  session({ pid: 40400, user: 'bob', state: 'active', waitEventType: 'Lock', waitEvent: 'relation', queryAge: 1, xactAge: 700,
    query: 'DELETE FROM treenode_edge WHERE id = 9', blockedBy: [40300], process: proc('daphne', 'daphne', 9104) }),
  session({ pid: 40500, state: 'idle', query: 'COMMIT' }),
];

export const SERVER: MonitorState['server'] = {
  version: '15.4', versionNum: 150004, startedAt: Date.now() / 1000 - 12 * 86_400 - 60, maxConnections: 200,
  reservedConnections: 3, ownPid: 1, role: 'catmaid_user', database: 'catmaid', superuser: false,
  readAllStats: false, signalBackend: false, superusers: ['postgres'], myRoles: ['catmaid_user', 'alice', 'dave', 'carol', 'bob'],
};

export function stateOf(over: Partial<MonitorState> = {}, sessions = SESSIONS): MonitorState {
  return {
    at: Date.now(),
    status: { connected: true, disconnectedSince: null, lastError: null, retryAt: null, attempts: 0, generation: 1 },
    server: SERVER,
    snapshot: {
      takenAt: Date.now(), ownPid: 1, sessions,
      counts: { total: sessions.length, clusterTotal: 23, active: 3, idle: 1, idleInTransaction: 1, idleInTransactionAborted: 0,
        waiting: 2, hidden: 0, role: 3, roleActive: 1 },
    },
    rates: { tps: 41, cacheHit: 0.992 },
    sizeBytes: 412 * 1024 ** 2,
    workers: { workers: 4, processes: 4, threads: 1, kinds: ['uwsgi'] },
    connMaxAge: 60,
    role: 'catmaid_user',
    history: { total: [20, 21, 23], role: [3, 3, 3], active: [1, 2, 2] },
    leak: { trend: 'flat', leak: false, healthy: true, message: 'persistent connections are healthy: 4 connections ≈ 4 workers' },
    programs: [
      { name: 'uwsgi', program: 'uwsgi', sessions: 1, threads: 4, busy: 1, idle: 3, requests: 120 },
      { name: 'celery worker', program: 'celery-worker', sessions: 1, threads: null, busy: null, idle: null, requests: null },
    ],
    uwsgi: null,
    horizon: { oldest: { kind: 'session', id: '40200', xidAge: 1520, seconds: 500, detail: 'idle in transaction · psql (alice) · dave' }, warn: false },
    replication: NO_REPLICATION,
    ...over,
  };
}

/** A source that hands out `next(n)` for the n-th refresh, counting refreshes and recording signals. */
export function scripted(next: (n: number) => MonitorState = () => stateOf()) {
  const calls = { refresh: 0, signals: [] as string[] };
  const source: MonitorSource = {
    refresh: async () => next(++calls.refresh),
    signal: async (target, kind) => {
      calls.signals.push(`${kind} ${target.pid}`);
      return true;
    },
    close: async () => undefined,
  };
  return { source, calls };
}
