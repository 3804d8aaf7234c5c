import type { SignalKind } from '../../tasks/monitor/actions.js';
import { DURATION_MODES, durationOf, parseFilter, selectSessions, type DurationMode, type FilterTerm } from '../../tasks/monitor/filter.js';
import type { Session } from '../../tasks/monitor/types.js';

/**
 * The Monitor screen's state as a pure reducer (the @inkjs/ui pattern): what is shown, how, and which dialog is
 * open. The selection follows a pid, not a row number, so a refresh that reorders rows keeps the cursor.
 */
export const SORTS = ['duration', 'pid', 'state', 'user', 'program'] as const;
export type SortKey = (typeof SORTS)[number];

export const MIN_INTERVAL_MS = 500;
export const MAX_INTERVAL_MS = 10_000;
const STEPS = [500, 1000, 2000, 3000, 5000, 10_000];
/** What `m` steps through (seconds). */
export const MIN_DURATIONS = [0, 1, 5, 30, 60, 300];

export interface ConfirmTarget {
  kind: SignalKind;
  pid: number;
  user: string | null;
  /** "uwsgi worker 3" or the application name: the confirmation names who is hit. */
  program: string;
  query: string;
}

export interface ViewState {
  /** The sessions as they were when paused: the table stays still while the header keeps counting. */
  frozen: Session[] | null;
  paused: boolean;
  intervalMs: number;
  sort: SortKey;
  mode: DurationMode;
  minDuration: number;
  /** The filter as typed, and as applied (the last text that parsed). */
  filterText: string;
  terms: FilterTerm[];
  filterError: string | null;
  /** The filter field has the keyboard. */
  editingFilter: boolean;
  showIdle: boolean;
  /** The blocking tree instead of the table. */
  tree: boolean;
  selectedPid: number | null;
  /** The full query of this pid is open, scrolled to this line. */
  detailPid: number | null;
  detailTop: number;
  confirm: ConfirmTarget | null;
  /** The outcome of the last cancel/terminate/export. */
  notice: string | null;
}

export type ViewEvent =
  | { type: 'pause'; sessions: Session[] }
  | { type: 'slower' }
  | { type: 'faster' }
  | { type: 'sort' }
  | { type: 'duration-mode' }
  | { type: 'min-duration' }
  | { type: 'toggle-idle' }
  | { type: 'toggle-tree' }
  | { type: 'filter-start' }
  | { type: 'filter-type'; text: string }
  | { type: 'filter-erase' }
  | { type: 'filter-done' }
  | { type: 'filter-clear' }
  | { type: 'select'; pid: number | null }
  | { type: 'detail'; pid: number | null }
  | { type: 'scroll'; top: number }
  | { type: 'confirm'; target: ConfirmTarget }
  | { type: 'confirm-close' }
  | { type: 'notice'; text: string | null };

export interface ViewStart {
  intervalMs?: number;
  filter?: string;
  minDuration?: number;
  mode?: DurationMode;
}

export function initialView(start: ViewStart = {}): ViewState {
  const filterText = start.filter ?? '';
  return {
    frozen: null, paused: false, intervalMs: clampInterval(start.intervalMs ?? 1000), sort: 'duration',
    mode: start.mode ?? 'query', minDuration: start.minDuration ?? 0, filterText, terms: parseFilter(filterText),
    filterError: null, editingFilter: false, showIdle: false, tree: false, selectedPid: null, detailPid: null,
    detailTop: 0, confirm: null, notice: null,
  };
}

export function clampInterval(ms: number): number {
  return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, ms));
}

function step(ms: number, direction: 1 | -1): number {
  if (direction > 0) return STEPS.find((s) => s > ms) ?? MAX_INTERVAL_MS;
  return [...STEPS].reverse().find((s) => s < ms) ?? MIN_INTERVAL_MS;
}

const next = <T>(list: readonly T[], current: T): T => list[(list.indexOf(current) + 1) % list.length];

function applyFilter(state: ViewState): ViewState {
  try {
    return { ...state, terms: parseFilter(state.filterText), filterError: null, editingFilter: false };
  } catch (err) {
    // A bad regex keeps the field open with the reason; the last good filter stays applied meanwhile.
    return { ...state, filterError: (err as Error).message };
  }
}

export function viewReducer(state: ViewState, event: ViewEvent): ViewState {
  switch (event.type) {
    case 'pause':
      return state.paused ? { ...state, paused: false, frozen: null } : { ...state, paused: true, frozen: event.sessions };
    case 'slower':
      return { ...state, intervalMs: step(state.intervalMs, 1) };
    case 'faster':
      return { ...state, intervalMs: step(state.intervalMs, -1) };
    case 'sort':
      return { ...state, sort: next(SORTS, state.sort) };
    case 'duration-mode':
      return { ...state, mode: next(DURATION_MODES, state.mode) };
    case 'min-duration':
      return { ...state, minDuration: next(MIN_DURATIONS, state.minDuration) };
    case 'toggle-idle':
      return { ...state, showIdle: !state.showIdle };
    case 'toggle-tree':
      return { ...state, tree: !state.tree };
    case 'filter-start':
      return { ...state, editingFilter: true, filterError: null };
    case 'filter-type':
      return { ...state, filterText: state.filterText + event.text.replace(/[\p{C}]/gu, '') };
    case 'filter-erase':
      return { ...state, filterText: state.filterText.slice(0, -1) };
    case 'filter-done':
      return applyFilter(state);
    case 'filter-clear':
      return { ...state, filterText: '', terms: [], filterError: null, editingFilter: false };
    case 'select':
      return { ...state, selectedPid: event.pid };
    case 'detail':
      return { ...state, detailPid: event.pid, detailTop: 0 };
    case 'scroll':
      return { ...state, detailTop: Math.max(0, event.top) };
    case 'confirm':
      return { ...state, confirm: event.target, notice: null };
    case 'confirm-close':
      return { ...state, confirm: null };
    case 'notice':
      return { ...state, notice: event.text };
  }
}

const byNumberDesc = (value: (s: Session) => number | null) => (a: Session, b: Session): number =>
  (value(b) ?? -1) - (value(a) ?? -1);

/** Code-point order (hidden values last): localeCompare would page in ICU's collation data for a sort key. */
const text = (value: (s: Session) => string | null) => (a: Session, b: Session): number => {
  const x = value(a) ?? '\uffff';
  const y = value(b) ?? '\uffff';
  return x < y ? -1 : x > y ? 1 : 0;
};

function compare(sort: SortKey, mode: DurationMode): (a: Session, b: Session) => number {
  switch (sort) {
    case 'duration': return byNumberDesc((s) => durationOf(s, mode));
    case 'pid': return (a, b) => a.pid - b.pid;
    case 'state': return text((s) => s.state);
    case 'user': return text((s) => s.user);
    case 'program': return text((s) => s.process?.label ?? (s.app || null));
  }
}

/** Rows the table shows: idle ones only when asked, then the filter and minimum duration, then sorted. */
export function visibleSessions(sessions: readonly Session[],
  view: Pick<ViewState, 'showIdle' | 'terms' | 'sort' | 'mode' | 'minDuration'>): Session[] {
  const shown = view.showIdle ? sessions : sessions.filter((s) => s.state !== 'idle');
  const order = compare(view.sort, view.mode);
  return selectSessions(shown, { terms: view.terms, minDuration: view.minDuration, mode: view.mode })
    .sort((a, b) => order(a, b) || a.pid - b.pid);
}

/** The selected row's index: the selected pid's row, else the first. */
export function selectedIndex(rows: readonly Session[], pid: number | null): number {
  const index = rows.findIndex((s) => s.pid === pid);
  return index >= 0 ? index : 0;
}
