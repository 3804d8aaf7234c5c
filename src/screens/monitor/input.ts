import { actionFor, type KeyPress } from '../../hooks/keymap.js';
import type { HoldKind } from '../../hooks/shell-state.js';
import { parseFilter } from '../../tasks/monitor/filter.js';
import type { Session } from '../../tasks/monitor/types.js';
import { programLabel } from './format.js';
import { activeKeys, detailKeys, filterKeys } from './keys.js';
import type { ViewEvent } from './view-state.js';

/**
 * The Monitor's keys, mode by mode. Keys can arrive faster than React re-renders ('/' then a pasted word):
 * the handler reads the mode from `now`, which it switches itself, so the word goes to the filter and not to
 * the keys of the table (and the shell asks `holdOf(now)` at each key, so a q there is text, not quit).
 */
export type InputMode = 'normal' | 'filter' | 'detail' | 'confirm';

export interface InputNow {
  mode: InputMode;
  /** Pids in the order shown (table rows or tree nodes). */
  pids: number[];
  index: number;
  selected: Session | undefined;
  allowed: boolean;
  /** What space freezes. */
  sessions: Session[];
  detailTop: number;
  detailPage: number;
  /** The filter field's text as typed so far. */
  filterText: string;
}

export interface InputActions {
  dispatch: (event: ViewEvent) => void;
  exportRows: () => void;
}

function parses(text: string): boolean {
  try {
    parseFilter(text);
    return true;
  } catch {
    return false;
  }
}

function detailKey(now: InputNow, name: string, { dispatch }: InputActions): void {
  const action = actionFor(detailKeys, name);
  const scroll = (top: number): void => {
    now.detailTop = Math.max(0, top);
    dispatch({ type: 'scroll', top: now.detailTop });
  };
  if (action === 'close') {
    now.mode = 'normal';
    dispatch({ type: 'detail', pid: null });
  } else if (action === 'up') scroll(now.detailTop - 1);
  else if (action === 'down') scroll(now.detailTop + 1);
  else if (action === 'pgup') scroll(now.detailTop - now.detailPage);
  else if (action === 'pgdn') scroll(now.detailTop + now.detailPage);
  else if (action === 'top') scroll(0);
  else if (action === 'bottom') scroll(Number.MAX_SAFE_INTEGER);
}

/** The filter field keeps every key; the full query and a question keep q and Esc. */
export function holdOf(now: InputNow): HoldKind | undefined {
  return now.mode === 'filter' ? 'typing' : now.mode === 'normal' ? undefined : 'busy';
}

/** One key (a chunk is taken key by key, see keyPresses). */
export function monitorKey(now: InputNow, { name, text }: KeyPress, actions: InputActions): void {
  const { dispatch } = actions;
  if (now.mode === 'filter') {
    const action = actionFor(filterKeys, name);
    // Enter leaves the field only when the filter parses; the reducer keeps it open with the reason otherwise.
    if (action === 'clear' || (action === 'done' && parses(now.filterText))) now.mode = 'normal';
    if (action === 'done') dispatch({ type: 'filter-done' });
    else if (action === 'erase') {
      now.filterText = now.filterText.slice(0, -1);
      dispatch({ type: 'filter-erase' });
    } else if (action === 'clear') {
      now.filterText = '';
      dispatch({ type: 'filter-clear' });
    } else if (text) {
      // As the reducer keeps it (no control characters), so that ⏎ judges the same text.
      now.filterText += text.replace(/\p{C}/gu, '');
      dispatch({ type: 'filter-type', text });
    }
    return;
  }
  if (now.mode === 'detail') return detailKey(now, name, actions);
  if (now.mode === 'confirm') return;
  const action = actionFor(activeKeys(now.allowed), name);
  const move = (to: number): void => {
    now.index = Math.max(0, Math.min(now.pids.length - 1, to));
    dispatch({ type: 'select', pid: now.pids[now.index] ?? null });
  };
  if (action === 'up') move(now.index - 1);
  else if (action === 'down') move(now.index + 1);
  else if (action === 'first') move(0);
  else if (action === 'last') move(now.pids.length - 1);
  else if (action === 'pause') dispatch({ type: 'pause', sessions: now.sessions });
  else if (action === 'slower') dispatch({ type: 'slower' });
  else if (action === 'faster') dispatch({ type: 'faster' });
  else if (action === 'sort') dispatch({ type: 'sort' });
  else if (action === 'idle') dispatch({ type: 'toggle-idle' });
  else if (action === 'tree') dispatch({ type: 'toggle-tree' });
  else if (action === 'mode') dispatch({ type: 'duration-mode' });
  else if (action === 'min') dispatch({ type: 'min-duration' });
  else if (action === 'export') actions.exportRows();
  else if (action === 'filter') {
    now.mode = 'filter';
    dispatch({ type: 'filter-start' });
  } else if (action === 'open' && now.selected) {
    now.mode = 'detail';
    now.detailTop = 0;
    dispatch({ type: 'detail', pid: now.selected.pid });
  } else if ((action === 'cancel' || action === 'terminate') && now.selected && now.allowed) {
    now.mode = 'confirm';
    const s = now.selected;
    dispatch({ type: 'confirm', target: { kind: action, pid: s.pid, user: s.user, program: programLabel(s),
      query: (s.query ?? '<hidden>').replace(/\s+/g, ' ').trim() } });
  }
}
