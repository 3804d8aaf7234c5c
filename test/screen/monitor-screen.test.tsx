import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { ShellContext, type ShellControl } from '../../src/hooks/shell-context.js';
import type { MonitorSource } from '../../src/hooks/useMonitor.js';
import { Monitor } from '../../src/screens/Monitor.js';
import type { MonitorState } from '../../src/tasks/monitor/session.js';
import type { Session } from '../../src/tasks/monitor/types.js';
import { fakeInfo, KEY, press, waitForFrame, waitForText, pressAndWait } from './helpers.js';

afterEach(() => cleanup());

const session = (over: Partial<Session>): Session => ({
  pid: 0, user: 'catmaid_user', app: 'gunicorn', client: '10.0.0.5', database: 'catmaid', state: 'idle',
  waitEventType: 'Client', waitEvent: 'ClientRead', xactAge: null, queryAge: 5, backendAge: 300,
  query: 'SELECT 1', blockedBy: [], ...over,
});

const SESSIONS: Session[] = [
  session({ pid: 40211, state: 'active', waitEventType: null, waitEvent: null, xactAge: 0.4, queryAge: 0.4,
    query: 'SELECT t.id, t.parent_id FROM treenode t WHERE t.skeleton_id = 17' }),
  session({ pid: 40187, state: 'idle in transaction', xactAge: 133, queryAge: 120, query: 'UPDATE treenode SET radius = 2 WHERE id = 5' }),
  session({ pid: 40190, user: 'postgres', app: 'psql', client: 'local', state: 'active', waitEventType: 'Lock',
    waitEvent: 'relation', xactAge: 41, queryAge: 41, query: 'ALTER TABLE treenode ADD COLUMN note text', blockedBy: [40187] }),
  session({ pid: 40300, state: 'idle', query: 'COMMIT' }),
];

/** A source that hands out the scripted state, counting refreshes and recording signals. */
function scripted(over: Partial<MonitorState> = {}) {
  const calls = { refresh: 0, signals: [] as string[] };
  const state: MonitorState = {
    at: Date.now(),
    status: { connected: true, disconnectedSince: null, lastError: null, retryAt: null, attempts: 0, generation: 1 },
    server: {
      version: '15.4', versionNum: 150004, startedAt: Date.now() / 1000 - 12 * 86_400 - 60, maxConnections: 200,
      reservedConnections: 3, ownPid: 1, role: 'catmaid_user', database: 'catmaid', superuser: false,
      readAllStats: false, signalBackend: false, superusers: ['postgres'], myRoles: ['catmaid_user'],
    },
    snapshot: {
      takenAt: Date.now(), ownPid: 1, sessions: SESSIONS,
      counts: { total: 4, clusterTotal: 23, active: 2, idle: 1, idleInTransaction: 1, idleInTransactionAborted: 0,
        waiting: 1, hidden: 0, role: 3, roleActive: 1 },
    },
    rates: { tps: 41, cacheHit: 0.992 },
    sizeBytes: 412 * 1024 ** 2,
    workers: { workers: 4, processes: 4, threads: 1, kinds: ['gunicorn'] },
    connMaxAge: 60,
    role: 'catmaid_user',
    history: { total: [20, 21, 23], role: [3, 3, 3], active: [1, 2, 2] },
    leak: { trend: 'flat', leak: false, healthy: true, message: 'persistent connections are healthy: 4 connections ≈ 4 workers' },
    ...over,
  };
  const source: MonitorSource = {
    refresh: async () => {
      calls.refresh += 1;
      return state;
    },
    signal: async (target, kind) => {
      calls.signals.push(`${kind} ${target.pid}`);
      return true;
    },
    close: async () => undefined,
  };
  return { source, calls };
}

const shell: ShellControl = { open() {}, back() {}, quit() {}, hold() {}, publishKeys() {} };

function renderMonitor(source: MonitorSource, intervalMs = 500) {
  return render(
    <ShellContext.Provider value={shell}>
      <Monitor info={fakeInfo()} active width={120} height={28} source={() => source} intervalMs={intervalMs} />
    </ShellContext.Provider>,
  );
}

/** Pids in the order the table shows them. */
const order = (frame: string): number[] =>
  [...frame.matchAll(/^\S*\s*[ ⚠⧗!]\s+(\d{5}) /gmu)].map((m) => Number(m[1]));

describe('the Monitor screen', () => {
  it('shows the header, the leak watch, the privilege note and the busy sessions, worst marked', async () => {
    const app = renderMonitor(scripted().source);
    const frame = await waitForText(app, '40211');
    expect(frame).toContain('PG 15.4 · up 12 d');
    expect(frame).toContain('● 23/200 conns · 41 tps · hit 99.2% · db 412 MB');
    expect(frame).toContain('active 2 · idle 1 · idle in txn 1 · txn aborted 0 · waiting 1');
    expect(frame).toContain('workers 4 · CONN_MAX_AGE 60');
    expect(frame).toContain('✓ leak watch: persistent connections are healthy');
    expect(frame).toContain("without pg_read_all_stats, other roles' queries are hidden");
    expect(frame).toMatch(/⚠\s+40187 .*idle in txn/);
    expect(frame).toMatch(/⧗\s+40190 .*\[blocked by 40187\] ALTER TABLE/);
    expect(frame).not.toContain('40300');
    expect(frame).toContain('3 of 4 sessions · sort: query age · idle hidden (i)');
  });

  it('sorts with s, shows idle sessions with i, and filters with /', async () => {
    const app = renderMonitor(scripted().source);
    expect(order(await waitForText(app, '40211'))).toEqual([40187, 40190, 40211]);
    await press(app, 's');
    expect(order(await waitForText(app, 'sort: xact age'))).toEqual([40187, 40190, 40211]);
    await press(app, 's');
    expect(order(await waitForText(app, 'sort: pid'))).toEqual([40187, 40190, 40211]);
    await press(app, 'i');
    expect(order(await waitForText(app, '4 of 4 sessions'))).toEqual([40187, 40190, 40211, 40300]);
    await press(app, '/', 'p', 's', 'q', 'l');
    await waitForText(app, 'filter: psql▏');
    await press(app, KEY.enter);
    const filtered = await waitForText(app, '1 of 4 sessions');
    expect(order(filtered)).toEqual([40190]);
    expect(filtered).toContain('filter: psql');
  });

  it('takes keys that arrive together one by one: a pasted filter and its Enter, then two toggles', async () => {
    const app = renderMonitor(scripted().source);
    await waitForText(app, '40211');
    await press(app, '/', 'psql\r');
    expect(order(await waitForText(app, '1 of 4 sessions'))).toEqual([40190]);
    await press(app, ' i');
    const frame = await waitForText(app, '⏸ paused');
    expect(frame).not.toContain('idle hidden');
  });

  it('pauses with space: no refresh until space again; +/- change the interval', async () => {
    const { source, calls } = scripted();
    const app = renderMonitor(source);
    await waitForText(app, 'refresh 0.5 s');
    await press(app, ' ');
    await waitForText(app, '⏸ paused');
    const frozen = calls.refresh;
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(calls.refresh).toBe(frozen);
    await press(app, ' ', '+', '+');
    await waitForText(app, 'refresh 2 s');
    await waitForFrame(app, () => calls.refresh > frozen);
    await press(app, '-', '-', '-', '-');
    await waitForText(app, 'refresh 0.5 s');
  });

  it('opens the full query of the selected session with Enter and closes it with Esc', async () => {
    const app = renderMonitor(scripted().source);
    await waitForText(app, '40211');
    await press(app, KEY.down);
    await press(app, KEY.enter);
    const detail = await waitForText(app, 'Query of backend 40190');
    expect(detail).toContain('ALTER TABLE treenode ADD COLUMN note text');
    expect(detail).toMatch(/blocked by\s+40187/);
    await press(app, KEY.esc);
    await waitForFrame(app, (frame) => !frame.includes('Query of backend') && frame.includes('40211'));
  });

  it('offers cancel only for sessions the role may signal, and asks first', async () => {
    const { source, calls } = scripted();
    const app = renderMonitor(source);
    await waitForText(app, '40211');
    // 40190 belongs to the superuser postgres: nothing is offered.
    expect(await pressAndWait(app, KEY.down, 'c')).not.toContain('Cancel the query');
    await press(app, KEY.up, 'k');
    await waitForText(app, 'Terminate backend 40187 (catmaid_user)?');
    await press(app, KEY.enter);
    await waitForFrame(app, (frame) => !frame.includes('Terminate backend'));
    expect(calls.signals).toEqual([]);
    await press(app, 'c');
    await waitForText(app, 'Cancel the query of backend 40187');
    await press(app, 'y');
    await waitForText(app, 'cancelled the query of backend 40187');
    expect(calls.signals).toEqual(['cancel 40187']);
  });

  it('says since when it is disconnected and warns of a leak', async () => {
    const since = Date.now() - 12_000;
    const { source } = scripted({
      status: { connected: false, disconnectedSince: since, lastError: 'connect ECONNREFUSED 127.0.0.1:5432',
        retryAt: Date.now() + 4000, attempts: 3, generation: 1 },
      leak: { trend: 'rising', leak: true, healthy: false,
        message: 'catmaid_user connections rose from 4 to 19 in 2 min while workers stayed at 4: connections are leaking.' },
    });
    const app = renderMonitor(source);
    const frame = await waitForText(app, 'disconnected since');
    expect(frame).toContain(`disconnected since ${new Date(since).toTimeString().slice(0, 8)}`);
    expect(frame).toContain('ECONNREFUSED');
    expect(frame).toContain('! leak watch: catmaid_user connections rose from 4 to 19');
  });
});
