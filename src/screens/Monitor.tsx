import { Box, Text, useInput, type Key } from 'ink';
import { useCallback, useMemo, useReducer, useRef } from 'react';
import { Badge } from '../components/Badge.js';
import { Confirm } from '../components/Confirm.js';
import { Table, type Column } from '../components/Table.js';
import { actionFor, keyName } from '../hooks/keymap.js';
import { useHold, useScreenKeys } from '../hooks/shell-context.js';
import { useMonitor, type MonitorSource } from '../hooks/useMonitor.js';
import { maySignal } from '../tasks/monitor/actions.js';
import type { Session } from '../tasks/monitor/types.js';
import { formatSeconds, queryLine, sessionMark, shortState, waitLabel } from './monitor/format.js';
import { MonitorHeader } from './monitor/Header.js';
import { activeKeys, detailKeys, filterKeys } from './monitor/keys.js';
import { SessionDetail } from './monitor/SessionDetail.js';
import { initialView, selectedIndex, viewReducer, visibleSessions } from './monitor/view-state.js';
import type { ScreenProps } from './registry.js';
import { monitorDefaults } from './monitor/defaults.js';

export interface MonitorProps extends ScreenProps {
  /** Screen tests pass a scripted source; the app uses the instance's database. */
  source?: () => MonitorSource;
  intervalMs?: number;
}

function columns(width: number): Column<Session>[] {
  // The query matters most: fixed columns stay narrow and query age only shows on wide terminals.
  const wide = width >= 140;
  return [
    { header: ' ', width: 1, value: sessionMark },
    { header: 'PID', width: 7, align: 'right', value: (s) => String(s.pid) },
    { header: 'USER', width: wide ? 14 : 12, value: (s) => s.user ?? 'hidden' },
    { header: 'APP', width: wide ? 14 : 10, value: (s) => s.app || '-' },
    { header: 'CLIENT', width: wide ? 15 : 9, value: (s) => s.client ?? 'hidden' },
    { header: 'STATE', width: 11, value: (s) => shortState(s.state) },
    { header: 'WAIT', width: wide ? 14 : 12, value: waitLabel },
    { header: 'XACT', width: 7, align: 'right', value: (s) => formatSeconds(s.xactAge) },
    ...(wide ? [{ header: 'QUERY AGE', width: 9, align: 'right' as const, value: (s: Session) => formatSeconds(s.queryAge) }] : []),
    { header: 'QUERY', value: queryLine },
  ];
}


/** Live connections of the instance's database: pg_activity for CATMAID, with the leak watch on top. */
export function Monitor({ info, active, width, height, source, intervalMs = monitorDefaults.intervalMs }: MonitorProps) {
  const [view, dispatch] = useReducer(viewReducer, intervalMs, initialView);
  const { state, error, signal } = useMonitor(info, view.intervalMs, view.paused, source, monitorDefaults.allDatabases);
  const rows = useMemo(() => visibleSessions(state?.snapshot?.sessions ?? [], view), [state, view]);
  const index = selectedIndex(rows, view.selectedPid);
  const selected = rows[index] as Session | undefined;
  const allowed = Boolean(state?.server && selected && maySignal(state.server, selected).allowed);

  useHold('typing', active && view.editingFilter);
  useHold('busy', active && (view.detailPid !== null || view.confirm !== null));
  const keys = useMemo(
    () => (view.editingFilter ? filterKeys : view.detailPid !== null ? detailKeys : view.confirm ? [] : activeKeys(allowed)),
    [view.editingFilter, view.detailPid, view.confirm, allowed],
  );
  useScreenKeys(keys);

  const mode = view.editingFilter ? 'filter' : view.detailPid !== null ? 'detail' : view.confirm ? 'confirm' : 'normal';
  // Keys can arrive faster than React re-renders ('/' then a pasted word): the handler reads the mode from a
  // ref that it switches itself, so the word goes to the filter and not to the keys of the table.
  const latest = useRef({ mode, rows, index, selected, allowed });
  latest.current = { mode, rows, index, selected, allowed };
  const onKey = useCallback(function handle(input: string, key: Key): void {
    const now = latest.current;
    // Several keys in one read (typed ahead, or sent at once by tmux) come as one string: take them one at a
    // time, except plain text into the filter.
    const batch = input.length > 1 && !key.ctrl && !key.meta && !input.includes('\x1b');
    if (batch && (now.mode !== 'filter' || /[\r\x7f\b]/.test(input))) {
      for (const char of input) {
        if (char === '\r') handle('', { ...key, return: true });
        else if (char === '\x7f' || char === '\b') handle('', { ...key, backspace: true });
        else handle(char, key);
      }
      return;
    }
    const name = keyName(input, key);
    if (now.mode === 'filter') {
      const action = actionFor(filterKeys, name);
      if (action === 'done' || action === 'clear') now.mode = 'normal';
      if (action === 'done') dispatch({ type: 'filter-done' });
      else if (action === 'erase') dispatch({ type: 'filter-erase' });
      else if (action === 'clear') dispatch({ type: 'filter-clear' });
      else if (input && !key.ctrl && !key.meta) dispatch({ type: 'filter-type', text: input });
      return;
    }
    if (now.mode === 'detail') {
      if (actionFor(detailKeys, name) === 'close') {
        now.mode = 'normal';
        dispatch({ type: 'detail', pid: null });
      }
      return;
    }
    if (now.mode === 'confirm') return;
    const action = actionFor(activeKeys(now.allowed), name);
    const move = (to: number): void =>
      dispatch({ type: 'select', pid: now.rows[Math.max(0, Math.min(now.rows.length - 1, to))]?.pid ?? null });
    if (action === 'up') move(now.index - 1);
    else if (action === 'down') move(now.index + 1);
    else if (action === 'first') move(0);
    else if (action === 'last') move(now.rows.length - 1);
    else if (action === 'pause') dispatch({ type: 'pause' });
    else if (action === 'slower') dispatch({ type: 'slower' });
    else if (action === 'faster') dispatch({ type: 'faster' });
    else if (action === 'sort') dispatch({ type: 'sort' });
    else if (action === 'idle') dispatch({ type: 'toggle-idle' });
    else if (action === 'filter') {
      now.mode = 'filter';
      dispatch({ type: 'filter-start' });
    } else if (action === 'open' && now.selected) {
      now.mode = 'detail';
      dispatch({ type: 'detail', pid: now.selected.pid });
    } else if ((action === 'cancel' || action === 'terminate') && now.selected && now.allowed) {
      now.mode = 'confirm';
      dispatch({ type: 'confirm', kind: action, pid: now.selected.pid, user: now.selected.user });
    }
  }, []);
  useInput(onKey, { isActive: active });

  if (!state) {
    return <Text>{error ? `✗ ${error}` : `connecting to ${info.settings.settings.database.name} …`}</Text>;
  }
  const headerHeight = 5 + (state.status.connected ? 0 : 1) + (state.server && !state.server.readAllStats ? 1 : 0) +
    (state.leak.leak ? 1 : 0);
  const bodyHeight = Math.max(3, height - headerHeight - 2);
  if (view.detailPid !== null) {
    const session = state.snapshot?.sessions.find((s) => s.pid === view.detailPid);
    return (
      <Box flexDirection="column" width={width} height={height}>
        <MonitorHeader state={state} width={width} intervalMs={view.intervalMs} paused={view.paused} />
        <SessionDetail session={session} width={width} height={bodyHeight + 1} />
      </Box>
    );
  }
  const total = state.snapshot?.sessions.length ?? 0;
  const footer = view.editingFilter
    ? `filter: ${view.filter}▏`
    : `${rows.length} of ${total} sessions · sort: ${view.sort}${view.filter ? ` · filter: ${view.filter}` : ''}` +
      `${view.showIdle ? '' : ' · idle hidden (i)'}`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <MonitorHeader state={state} width={width} intervalMs={view.intervalMs} paused={view.paused} />
      <Box height={bodyHeight} flexDirection="column">
        <Table columns={columns(width)} rows={rows} width={width} height={bodyHeight} selected={index} rowKey={(s) => String(s.pid)} />
      </Box>
      {view.confirm ? (
        <Confirm
          message={`${view.confirm.kind === 'cancel' ? 'Cancel the query of' : 'Terminate'} backend ${view.confirm.pid}` +
            ` (${view.confirm.user ?? 'hidden'})?`}
          onCancel={() => dispatch({ type: 'confirm-close' })}
          onConfirm={() => {
            const target = view.confirm!;
            dispatch({ type: 'confirm-close' });
            void signal({ pid: target.pid, user: target.user }, target.kind).then((text) => dispatch({ type: 'notice', text }));
          }}
          isActive={active}
        />
      ) : (
        <Text wrap="truncate">
          {view.notice ? <Badge kind="info">{view.notice}</Badge> : null}
          {view.notice ? ' · ' : ''}
          {error ? `✗ ${error} · ` : ''}
          {footer}
        </Text>
      )}
    </Box>
  );
}

