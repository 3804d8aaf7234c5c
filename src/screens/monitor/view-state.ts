import type { SignalKind } from '../../tasks/monitor/actions.js';
import type { Session } from '../../tasks/monitor/types.js';

/**
 * The Monitor screen's state as a pure reducer (the @inkjs/ui pattern): what is shown, how, and which dialog is
 * open. The selection follows a pid, not a row number, so a refresh that reorders rows keeps the cursor.
 */
export const SORTS = ['query age', 'xact age', 'pid', 'state', 'user'] as const;
export type SortKey = (typeof SORTS)[number];

export const MIN_INTERVAL_MS = 500;
export const MAX_INTERVAL_MS = 10_000;
const STEPS = [500, 1000, 2000, 3000, 5000, 10_000];

export interface ViewState {
  paused: boolean;
  intervalMs: number;
  sort: SortKey;
  filter: string;
  /** The filter field has the keyboard. */
  editingFilter: boolean;
  showIdle: boolean;
  selectedPid: number | null;
  /** The full query of this pid is open. */
  detailPid: number | null;
  confirm: { kind: SignalKind; pid: number; user: string | null } | null;
  /** The outcome of the last cancel/terminate. */
  notice: string | null;
}

export type ViewEvent =
  | { type: 'pause' }
  | { type: 'slower' }
  | { type: 'faster' }
  | { type: 'sort' }
  | { type: 'toggle-idle' }
  | { type: 'filter-start' }
  | { type: 'filter-type'; text: string }
  | { type: 'filter-erase' }
  | { type: 'filter-done' }
  | { type: 'filter-clear' }
  | { type: 'select'; pid: number | null }
  | { type: 'detail'; pid: number | null }
  | { type: 'confirm'; kind: SignalKind; pid: number; user: string | null }
  | { type: 'confirm-close' }
  | { type: 'notice'; text: string | null };

export function initialView(intervalMs = 1000): ViewState {
  return {
    paused: false, intervalMs: clampInterval(intervalMs), sort: 'query age', filter: '', editingFilter: false,
    showIdle: false, selectedPid: null, detailPid: null, confirm: null, notice: null,
  };
}

export function clampInterval(ms: number): number {
  return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, ms));
}

function step(ms: number, direction: 1 | -1): number {
  if (direction > 0) return STEPS.find((s) => s > ms) ?? MAX_INTERVAL_MS;
  return [...STEPS].reverse().find((s) => s < ms) ?? MIN_INTERVAL_MS;
}

export function viewReducer(state: ViewState, event: ViewEvent): ViewState {
  switch (event.type) {
    case 'pause':
      return { ...state, paused: !state.paused };
    case 'slower':
      return { ...state, intervalMs: step(state.intervalMs, 1) };
    case 'faster':
      return { ...state, intervalMs: step(state.intervalMs, -1) };
    case 'sort':
      return { ...state, sort: SORTS[(SORTS.indexOf(state.sort) + 1) % SORTS.length] };
    case 'toggle-idle':
      return { ...state, showIdle: !state.showIdle };
    case 'filter-start':
      return { ...state, editingFilter: true };
    case 'filter-type':
      return { ...state, filter: state.filter + event.text.replace(/[\p{C}]/gu, '') };
    case 'filter-erase':
      return { ...state, filter: state.filter.slice(0, -1) };
    case 'filter-done':
      return { ...state, editingFilter: false };
    case 'filter-clear':
      return { ...state, filter: '', editingFilter: false };
    case 'select':
      return { ...state, selectedPid: event.pid };
    case 'detail':
      return { ...state, detailPid: event.pid };
    case 'confirm':
      return { ...state, confirm: { kind: event.kind, pid: event.pid, user: event.user }, notice: null };
    case 'confirm-close':
      return { ...state, confirm: null };
    case 'notice':
      return { ...state, notice: event.text };
  }
}

const byAgeDesc = (age: (s: Session) => number | null) => (a: Session, b: Session): number =>
  (age(b) ?? -1) - (age(a) ?? -1);

const COMPARE: Record<SortKey, (a: Session, b: Session) => number> = {
  'query age': byAgeDesc((s) => (s.state === 'idle' ? null : s.queryAge)),
  'xact age': byAgeDesc((s) => s.xactAge),
  pid: (a, b) => a.pid - b.pid,
  state: (a, b) => (a.state ?? '~').localeCompare(b.state ?? '~'),
  user: (a, b) => (a.user ?? '~').localeCompare(b.user ?? '~'),
};

/** Rows the table shows: idle ones only when asked, the filter matched anywhere in the row, then sorted. */
export function visibleSessions(sessions: readonly Session[], view: Pick<ViewState, 'showIdle' | 'filter' | 'sort'>): Session[] {
  const needle = view.filter.trim().toLowerCase();
  return sessions
    .filter((s) => view.showIdle || s.state !== 'idle')
    .filter((s) => !needle || [String(s.pid), s.user, s.app, s.client, s.state, s.waitEvent, s.query]
      .some((field) => field?.toLowerCase().includes(needle)))
    .sort((a, b) => COMPARE[view.sort](a, b) || a.pid - b.pid);
}

/** The selected row's index: the selected pid's row, else the first. */
export function selectedIndex(rows: readonly Session[], pid: number | null): number {
  const index = rows.findIndex((s) => s.pid === pid);
  return index >= 0 ? index : 0;
}
