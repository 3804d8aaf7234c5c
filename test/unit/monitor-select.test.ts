import { describe, expect, it } from 'vitest';
import { blockingTree } from '../../src/tasks/monitor/blocking.js';
import { parseCsv, toCsv } from '../../src/tasks/monitor/export.js';
import { parseDuration, parseFilter, selectSessions } from '../../src/tasks/monitor/filter.js';
import type { Session } from '../../src/tasks/monitor/types.js';
import { horizonsOf, oldestHorizon, sessionHorizons } from '../../src/tasks/monitor/xmin.js';
import { session } from './monitor-fixtures.js';

const uwsgi = { pid: 11, ppid: 10, program: 'uwsgi' as const, label: 'uwsgi worker 3', user: 'www-data' };

describe('the blocking tree', () => {
  it('draws a three-level chain under its root, and a second waiter of the root beside it', () => {
    const sessions: Session[] = [
      session({ pid: 4211, state: 'idle in transaction', xactAge: 120 }),
      session({ pid: 4388, state: 'active', blockedBy: [4211] }),
      session({ pid: 4390, state: 'active', blockedBy: [4211, 4388] }),
      session({ pid: 4402, state: 'active', blockedBy: [4211] }),
      session({ pid: 5000, state: 'idle' }),
    ];
    const tree = blockingTree(sessions);
    expect(tree.roots.map((s) => s.pid)).toEqual([4211]);
    expect(tree.nodes.map((n) => `${n.prefix}${n.session.pid}`)).toEqual(['4211', '├─ 4388', '│  └─ 4390', '└─ 4402']);
    expect(tree.nodes[0].blocks).toBe(3);
    expect(tree.nodes[2].alsoBlockedBy).toEqual([4211]);
  });

  it('shows a blocker it cannot see as a root of its own, and breaks a cycle', () => {
    const tree = blockingTree([session({ pid: 2, blockedBy: [99] }), session({ pid: 3, blockedBy: [4] }), session({ pid: 4, blockedBy: [3] })]);
    expect(tree.nodes.map((n) => `${n.prefix}${n.session.pid}`)).toEqual(['99', '└─ 2', '3', '└─ 4']);
  });
});

describe('filters and durations', () => {
  const rows = [
    session({ pid: 1, database: 'catmaid', user: 'catmaid', app: 'gunicorn', state: 'active', queryAge: 12, xactAge: 12, query: 'SELECT * FROM treenode' }),
    session({ pid: 2, database: 'catmaid', user: 'alice', app: 'psql', state: 'idle in transaction', queryAge: 3, xactAge: 400, query: 'UPDATE treenode SET radius = 1' }),
    session({ pid: 3, database: 'other', user: 'catmaid', app: '', state: 'active', queryAge: 0.5, xactAge: 0.5, query: 'SELECT 1 FOR UPDATE', process: uwsgi }),
    session({ pid: 4, database: 'catmaid', user: 'catmaid', state: 'idle', queryAge: 900, backendAge: 3600 }),
  ];
  const pids = (filter: string, minDuration = 0, mode: 'query' | 'transaction' | 'backend' = 'query') =>
    selectSessions(rows, { terms: parseFilter(filter), minDuration, mode }).map((s) => s.pid);

  it('matches column:regex terms, all of them, case-insensitively, either spelling of a state', () => {
    expect(pids('db:^catmaid$')).toEqual([1, 2, 4]);
    expect(pids('db:^catmaid$ user:ALICE')).toEqual([2]);
    expect(pids('state:active|idle.in.txn')).toEqual([1, 2, 3]);
    expect(pids('state:"idle in transaction"')).toEqual([2]);
    expect(pids('program:uwsgi')).toEqual([3]);
    expect(pids('query:"for update"')).toEqual([3]);
    expect(pids('treenode')).toEqual([1, 2]);
    expect(pids('')).toEqual([1, 2, 3, 4]);
  });

  it('refuses unknown columns and bad regular expressions with a usage error', () => {
    expect(() => parseFilter('colour:red')).toThrow(/unknown filter column "colour"/);
    expect(() => parseFilter('query:(')).toThrow(/bad regular expression/);
  });

  it('keeps sessions at least --min-duration long in the chosen duration mode', () => {
    expect(pids('', 5)).toEqual([1]);
    expect(pids('', 5, 'transaction')).toEqual([1, 2]);
    expect(pids('', 1000, 'backend')).toEqual([4]);
    expect(parseDuration('2min')).toBe(120);
    expect(parseDuration('1.5')).toBe(1.5);
    expect(() => parseDuration('soon')).toThrow(/--min-duration/);
  });
});

describe('export and the xmin horizon', () => {
  it('writes CSV that reads back to the same fields, quotes and newlines included', () => {
    const rows = [session({ pid: 7, query: 'SELECT "a",\n 1', process: uwsgi, blockedBy: [3, 4] })];
    const [back] = parseCsv(toCsv(rows));
    expect(parseCsv(toCsv(rows).trimEnd())).toEqual([back]);
    expect(back).toMatchObject({ pid: '7', query: 'SELECT "a",\n 1', program: 'uwsgi', program_label: 'uwsgi worker 3', client_pid: '11', blocked_by: '3 4' });
  });

  it('names the oldest holder and warns past the threshold', () => {
    const holders = [
      ...sessionHorizons([session({ pid: 9, state: 'idle in transaction', xminAge: 50, xactAge: 700, process: uwsgi }),
        session({ pid: 8, xminAge: 5, xactAge: 1 })]),
      ...horizonsOf({ gid: 'tx1', xid_age: 20, seconds: 30, owner: 'catmaid', database: 'catmaid' }, null),
    ];
    const verdict = oldestHorizon(holders, 600);
    expect(verdict).toMatchObject({ warn: true, oldest: { kind: 'session', id: '9', xidAge: 50, detail: 'idle in transaction · uwsgi worker 3 · catmaid' } });
    expect(oldestHorizon(holders, 800).warn).toBe(false);
    const slot = horizonsOf(null, { name: 'old_standby', type: 'physical', active: false, xid_age: 900, seconds: null });
    expect(oldestHorizon([...holders, ...slot], 600)).toMatchObject({ warn: true, oldest: { kind: 'slot', detail: 'physical slot, inactive' } });
  });
});
