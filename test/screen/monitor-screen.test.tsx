import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ShellContext, type DatabaseReport, type ShellControl } from '../../src/hooks/shell-context.js';
import type { MonitorSource } from '../../src/hooks/useMonitor.js';
import { Monitor } from '../../src/screens/Monitor.js';
import { parseCsv } from '../../src/tasks/monitor/export.js';
import { scripted, session, SESSIONS, stateOf } from './monitor-fakes.js';
import { fakeInfo, KEY, press, waitForFrame, waitForText } from './helpers.js';

afterEach(() => cleanup());
const stateHome = fs.mkdtempSync(path.join(os.tmpdir(), 'monitor-screen-'));
process.env.XDG_STATE_HOME = stateHome;
afterAll(() => fs.rmSync(stateHome, { recursive: true, force: true }));

function renderMonitor(source: MonitorSource, options: { width?: number; height?: number; reports?: (DatabaseReport | undefined)[] } = {}) {
  const shell: ShellControl = { open() {}, back() {}, quit() {}, hold() {}, publishKeys() {},
    reportDatabase: (report) => options.reports?.push(report) };
  // ink-testing-library's terminal is 100 columns; the frames after the first are drawn at the asked width.
  const app = render(
    <ShellContext.Provider value={shell}>
      <Monitor info={fakeInfo()} active width={options.width ?? 120} height={options.height ?? 30} source={() => source} intervalMs={500} />
    </ShellContext.Provider>,
  );
  Object.defineProperty(app.stdout, 'columns', { value: options.width ?? 120 });
  return app;
}

/** Pids in the order the table shows them. */
const order = (frame: string): number[] => [...frame.matchAll(/^[› ] [ ⚠⧗!]\s+(\d{5}) /gmu)].map((m) => Number(m[1]));

describe('the Monitor screen', () => {
  it('shows the header with programs and the xmin holder, the privilege note and the busy sessions with their program', async () => {
    const app = renderMonitor(scripted().source);
    const frame = await waitForText(app, '40100');
    expect(frame).toContain('PG 15.4 · up 12 d');
    expect(frame).toContain('● 23/200 conns · 41 tps · hit 99.2% · db 412 MB');
    expect(frame).toContain('active 3 · idle 1 · idle in txn 1 · txn aborted 0 · waiting 2');
    expect(frame).toContain('workers 4 · CONN_MAX_AGE 60');
    expect(frame).toContain('programs  uwsgi 1/4 threads (busy 1, idle 3, 120 req) · celery worker 1');
    expect(frame).toContain('oldest xmin: pid 40200 (idle in transaction · psql (alice) · dave) for 8:20, 1520 transactions behind');
    expect(frame).toContain('✓ leak watch: persistent connections are healthy');
    expect(frame).toContain("without pg_read_all_stats, other roles' queries are hidden");
    expect(frame).toMatch(/⚠\s+40200 psql \(alice\)\s+dave .*idle in txn/);
    expect(frame).toMatch(/⧗\s+40300 celery worker .*\[blocked by 40200\] ALTER TABLE/);
    expect(frame).toContain('⧗ blocking: 40200 psql (alice) (idle in txn, 8:20) blocks 2 · t tree');
    expect(frame).not.toContain('40500');
    expect(frame).toContain('4 of 5 sessions · sort: duration · duration: query · idle hidden (i)');
  });

  it('sorts with s into five different orders, each the right one, and by transaction age after d', async () => {
    const app = renderMonitor(scripted().source);
    expect(order(await waitForText(app, '40100'))).toEqual([40200, 40300, 40100, 40400]);
    await press(app, 's');
    expect(order(await waitForText(app, 'sort: pid'))).toEqual([40100, 40200, 40300, 40400]);
    await press(app, 's');
    expect(order(await waitForText(app, 'sort: state'))).toEqual([40100, 40300, 40400, 40200]);
    await press(app, 's');
    expect(order(await waitForText(app, 'sort: user'))).toEqual([40100, 40400, 40300, 40200]);
    await press(app, 's');
    expect(order(await waitForText(app, 'sort: program'))).toEqual([40300, 40400, 40200, 40100]);
    await press(app, 's', 'd');
    expect(order(await waitForText(app, 'sort: duration · duration: transaction'))).toEqual([40400, 40100, 40200, 40300]);
  });

  it('filters with column:regex terms and a minimum duration, and shows both in the status line', async () => {
    const app = renderMonitor(scripted().source);
    await waitForText(app, '40100');
    await press(app, 'i');
    expect(order(await waitForText(app, '5 of 5 sessions'))).toHaveLength(5);
    await press(app, '/', 'state:active user:^(alice|bob)$');
    await waitForText(app, 'filter: state:active user:^(alice|bob)$▏');
    await press(app, KEY.enter);
    expect(order(await waitForText(app, '2 of 5 sessions'))).toEqual([40100, 40400]);
    await press(app, '/', ' query:(', KEY.enter);
    await waitForText(app, '✗ bad regular expression');
    await press(app, KEY.esc, 'm', 'm');
    const frame = await waitForText(app, 'min 5.0 s');
    expect(order(frame)).toEqual([40200, 40300, 40100]);
  });

  it('freezes the table with space while the header keeps counting', async () => {
    const later = session({ pid: 40900, state: 'active', waitEventType: null, waitEvent: null, query: 'SELECT now()' });
    const { source, calls } = scripted((n) => stateOf({ sizeBytes: n * 1024 ** 2 }, n > 3 ? [...SESSIONS, later] : SESSIONS));
    const app = renderMonitor(source);
    await waitForText(app, '40100');
    await press(app, ' ');
    await waitForText(app, '⏸ paused');
    const frozenAt = calls.refresh;
    const frame = await waitForFrame(app, (f) => Number(/db (\d+) MB/.exec(f)?.[1]) > Math.max(4, frozenAt + 1), 5000);
    expect(frame).not.toContain('40900');
    await press(app, ' ');
    await waitForText(app, '40900');
  });

  it('shows the whole query wrapped, and scrolls through a long one', async () => {
    const long = Array.from({ length: 80 }, (_, i) => `  SELECT column_${i}, `).join('\n') + 'FROM treenode';
    const sessions = SESSIONS.map((s) => (s.pid === 40100 ? { ...s, query: long } : s));
    const app = renderMonitor(scripted(() => stateOf({}, sessions)).source);
    await waitForText(app, '40100');
    await press(app, 's', KEY.enter);
    const detail = await waitForText(app, 'Query of backend 40100 · lines 1–');
    expect(detail).toContain('uwsgi worker 1 (pid 9101)');
    expect(detail).toContain('SELECT column_0,');
    await press(app, 'G');
    const end = await waitForText(app, 'of 80');
    expect(end).toContain('FROM treenode');
    expect(end).not.toContain('SELECT column_0,');
    await press(app, KEY.esc);
    await waitForFrame(app, (frame) => !frame.includes('Query of backend') && frame.includes('40100'));
  });

  it('shows the blocking chain as a tree and terminates its root after naming pid, program and query', async () => {
    const { source, calls } = scripted();
    const app = renderMonitor(source);
    await waitForText(app, '40100');
    await press(app, 't');
    const tree = await waitForText(app, 'blocking tree');
    expect(tree).toMatch(/› 40200\s+psql \(alice\)\s+idle in txn .*\[root, blocks 2\] UPDATE treenode/);
    expect(tree).toMatch(/^  └─ 40300\s+celery worker/m);
    expect(tree).toMatch(/^     └─ 40400\s+daphne/m);
    await press(app, 'k');
    await waitForText(app, 'Terminate backend 40200 (psql (alice), dave): UPDATE treenode SET radius = 2 WHERE id = 5');
    await press(app, 'y');
    await waitForText(app, 'terminated backend 40200');
    expect(calls.signals).toEqual(['terminate 40200']);
  });

  it('offers cancel only for sessions the role may signal, and asks first', async () => {
    const sessions = [...SESSIONS, session({ pid: 40600, user: 'postgres', state: 'active', queryAge: 900, query: 'VACUUM' })];
    const { source, calls } = scripted(() => stateOf({}, sessions));
    const app = renderMonitor(source);
    await waitForText(app, '40600');
    await press(app, 'c');
    // 40600 belongs to the superuser postgres: nothing is offered.
    expect(app.lastFrame()).not.toContain('Cancel the query');
    await press(app, KEY.down, 'c');
    await waitForText(app, 'Cancel the query of backend 40200');
    await press(app, KEY.enter);
    await waitForFrame(app, (frame) => !frame.includes('Cancel the query'));
    expect(calls.signals).toEqual([]);
  });

  it('exports the rows shown with e, as CSV in the state folder', async () => {
    const app = renderMonitor(scripted().source);
    await waitForText(app, '40100');
    await press(app, '/', 'state:active', KEY.enter, 'e');
    await waitForText(app, 'exported 3 sessions to');
    const dir = fs.readdirSync(path.join(stateHome, 'catmaid-tui', 'instances'));
    const written = fs.readdirSync(path.join(stateHome, 'catmaid-tui', 'instances', dir[0], 'exports'));
    expect(written).toHaveLength(1);
    const rows = parseCsv(fs.readFileSync(path.join(stateHome, 'catmaid-tui', 'instances', dir[0], 'exports', written[0]), 'utf8'));
    expect(rows.map((r) => Number(r.pid))).toEqual([40300, 40100, 40400]);
    expect(rows[0]).toMatchObject({ program_label: 'celery worker', client_pid: '9103', blocked_by: '40200' });
  });

  it('says disconnected and reconnecting, in its header and to the title bar, never "● up"', async () => {
    const since = Date.now() - 12_000;
    const reports: (DatabaseReport | undefined)[] = [];
    const { source } = scripted(() => stateOf({
      status: { connected: false, disconnectedSince: since, lastError: 'connect ECONNREFUSED 127.0.0.1:5432',
        retryAt: Date.now() + 4000, attempts: 3, generation: 1 },
      leak: { trend: 'rising', leak: true, healthy: false,
        message: 'catmaid_user connections rose from 4 to 19 in 2 min while workers stayed at 4: connections are leaking.' },
    }));
    const app = renderMonitor(source, { reports });
    const frame = await waitForText(app, 'disconnected since');
    expect(frame).toMatch(/✗ disconnected 1[0-9] s · reconnecting in [34]\.\d s/);
    expect(frame).not.toContain('●');
    expect(frame).toContain(`disconnected since ${new Date(since).toTimeString().slice(0, 8)}`);
    expect(frame).toContain('ECONNREFUSED');
    expect(frame).toContain('! leak watch: catmaid_user connections rose from 4 to 19');
    expect(reports.at(-1)).toEqual({ up: false, text: 'reconnecting' });
  });

  it.each([[80, 24], [200, 50]])('fits every layout in %i columns: table, tree, detail', async (width, height) => {
    const app = renderMonitor(scripted().source, { width, height });
    const fits = (frame: string): void => {
      for (const line of frame.split('\n')) expect(line.length, line).toBeLessThanOrEqual(width);
      expect(frame.split('\n').length).toBeLessThanOrEqual(height);
    };
    const table = await waitForText(app, '40100');
    fits(table);
    expect(table).toMatch(/PID PROGRAM .*STATE .*QUERY T .*QUERY$/m);
    expect(table).not.toContain('QUE…');
    await press(app, 't');
    const tree = await waitForText(app, 'blocking tree');
    fits(tree);
    expect(tree).toMatch(/PID .*PROGRAM .*QUERY T QUERY$/m);
    await press(app, 't', KEY.enter);
    fits(await waitForText(app, 'Query of backend'));
  });
});
