import { Box, Text } from 'ink';
import { useEffect, useMemo, useReducer, useRef } from 'react';
import { Confirm } from '../components/Confirm.js';
import { scrollNote, scrollWindow } from '../components/menu-state.js';
import { truncate } from '../components/theme.js';
import { useDatabaseReport, useScreenKeys } from '../hooks/shell-context.js';
import { useKeyRoute } from '../hooks/useKeyRoute.js';
import { useMonitor, type MonitorSource } from '../hooks/useMonitor.js';
import { maySignal } from '../tasks/monitor/actions.js';
import { blockingTree } from '../tasks/monitor/blocking.js';
import { leanHeap } from '../tasks/monitor/lean-heap.js';
import type { Session } from '../tasks/monitor/types.js';
import { blockingSummary, tableLines, treeLines } from './monitor/body-lines.js';
import { monitorDefaults } from './monitor/defaults.js';
import { formatSeconds } from './monitor/format.js';
import { MonitorHeader } from './monitor/Header.js';
import { headerLines } from './monitor/header-lines.js';
import { holdOf, monitorKey, type InputNow } from './monitor/input.js';
import { activeKeys, detailKeys, filterKeys } from './monitor/keys.js';
import { Rows } from './monitor/Rows.js';
import { queryLines, queryRoom, SessionDetail } from './monitor/SessionDetail.js';
import { initialView, viewReducer, visibleSessions, type ViewState } from './monitor/view-state.js';
import type { ScreenProps } from './registry.js';

export interface MonitorProps extends ScreenProps {
  /** Screen tests pass a scripted source; the app uses the instance's database. */
  source?: () => MonitorSource;
  intervalMs?: number;
}

const NO_SESSIONS: Session[] = [];

function statusLine(view: ViewState, shown: number, total: number): string {
  if (view.editingFilter) {
    return `filter: ${view.filterText}▏${view.filterError ? `  ✗ ${view.filterError}` : '  (column:regex … ⏎ keep, esc clear)'}`;
  }
  return [
    view.tree ? 'blocking tree' : `${shown} of ${total} sessions`,
    `sort: ${view.sort}`,
    `duration: ${view.mode}`,
    ...(view.minDuration > 0 ? [`min ${formatSeconds(view.minDuration)}`] : []),
    ...(view.filterText ? [`filter: ${view.filterText}`] : []),
    ...(view.showIdle ? [] : ['idle hidden (i)']),
    ...(view.paused ? ['␣ paused'] : []),
  ].join(' · ');
}

/** Live connections of the instance's database: pg_activity for CATMAID, with programs, blocking and leaks. */
export function Monitor({ info, active, width, height, source, intervalMs }: MonitorProps) {
  const [view, dispatch] = useReducer(viewReducer, {
    intervalMs: intervalMs ?? monitorDefaults.intervalMs, filter: monitorDefaults.filter,
    minDuration: monitorDefaults.minDuration, mode: monitorDefaults.mode,
  }, initialView);
  // The screen may stay open for hours: V8 keeps its heap small while it is shown (lean-heap.ts says why).
  useEffect(() => leanHeap(), []);
  const { state, error, signal, exportRows } = useMonitor(info, view.intervalMs, source, monitorDefaults.allDatabases);
  const live = state?.snapshot?.sessions ?? NO_SESSIONS;
  const sessions = view.frozen ?? live;
  const rows = useMemo(() => visibleSessions(sessions, view), [sessions, view]);
  const tree = useMemo(() => blockingTree(sessions), [sessions]);
  const body = useMemo(
    () => (view.tree ? treeLines(tree, width - 2, view.mode) : tableLines(rows, width - 2, view.mode)),
    [view.tree, view.mode, tree, rows, width],
  );
  const found = body.pids.indexOf(view.selectedPid ?? -1);
  const index = found >= 0 ? found : 0;
  const selected = sessions.find((s) => s.pid === body.pids[index]);
  const allowed = Boolean(state?.server && selected && maySignal(state.server, selected).allowed);

  const keys = useMemo(
    () => (view.editingFilter ? filterKeys : view.detailPid !== null ? detailKeys : view.confirm ? [] : activeKeys(allowed)),
    [view.editingFilter, view.detailPid, view.confirm, allowed],
  );
  useScreenKeys(keys);
  const status = state?.status;
  useDatabaseReport(status ? { up: status.connected, text: status.connected ? 'up' : 'reconnecting' } : undefined, active);

  const mode = view.editingFilter ? 'filter' : view.detailPid !== null ? 'detail' : view.confirm ? 'confirm' : 'normal';
  const latest = useRef<InputNow | null>(null);
  latest.current = { mode, pids: body.pids, index, selected, allowed, sessions: live, detailTop: view.detailTop,
    detailPage: queryRoom(height), filterText: view.filterText };
  useKeyRoute(
    {
      hold: () => holdOf(latest.current!),
      waiting: () => latest.current!.mode === 'confirm',
      take: (press) => monitorKey(latest.current!, press, {
        dispatch,
        exportRows: () => {
          const shown = latest.current!.pids.map((pid) => latest.current!.sessions.find((s) => s.pid === pid)).filter((s) => s !== undefined);
          void exportRows(shown).then((text) => dispatch({ type: 'notice', text }));
        },
      }),
    },
    active,
  );
  // The question is answered: the keys after the answer are the table's, before the render that closes it.
  const closeConfirm = (): void => {
    latest.current!.mode = 'normal';
    dispatch({ type: 'confirm-close' });
  };

  const header = useMemo(
    () => (state ? headerLines(state, width, { intervalMs: view.intervalMs, paused: view.paused }) : []),
    [state, width, view.intervalMs, view.paused],
  );
  if (!state) {
    return <Text>{error ? `✗ ${error}` : `connecting to ${info.settings.settings.database.name} …`}</Text>;
  }
  const summary = view.tree ? null : blockingSummary(tree, width);
  const bodyHeight = Math.max(3, height - header.length - (summary ? 1 : 0) - 1);
  if (view.detailPid !== null) {
    const session = sessions.find((s) => s.pid === view.detailPid) ?? live.find((s) => s.pid === view.detailPid);
    const detailHeight = bodyHeight + (summary ? 1 : 0) + 1;
    const top = Math.min(view.detailTop, Math.max(0, queryLines(session, width - 4).length - queryRoom(detailHeight)));
    return (
      <Box flexDirection="column" width={width} height={height}>
        <MonitorHeader lines={header} width={width} />
        <SessionDetail session={session} width={width} height={detailHeight} top={top} />
      </Box>
    );
  }
  // The table's header takes a line; a list longer than the rest says how much is out of view.
  const window = scrollWindow(index, body.lines.length, bodyHeight - 1);
  const more = scrollNote(window);
  const target = view.confirm;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <MonitorHeader lines={header} width={width} />
      {summary && <Text>{summary}</Text>}
      <Box height={bodyHeight} flexDirection="column">
        <Rows header={body.header} lines={body.lines.slice(window.start, window.end)} selected={index - window.start} width={width} />
        {more && <Text dimColor>{`  ${more}`}</Text>}
      </Box>
      {target ? (
        <Confirm
          message={truncate(`${target.kind === 'cancel' ? 'Cancel the query of' : 'Terminate'} backend ${target.pid} ` +
            `(${target.program}, ${target.user ?? 'hidden'}): ${target.query}`, Math.max(20, width - 30)) + ' ?'}
          onCancel={closeConfirm}
          onConfirm={() => {
            closeConfirm();
            void signal({ pid: target.pid, user: target.user }, target.kind).then((text) => dispatch({ type: 'notice', text }));
          }}
          isActive={active}
        />
      ) : (
        <Text wrap="truncate">
          {truncate(`${view.notice ? `${view.notice} · ` : ''}${error ? `✗ ${error} · ` : ''}` +
            statusLine(view, rows.length, sessions.length), width)}
        </Text>
      )}
    </Box>
  );
}
