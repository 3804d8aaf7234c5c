import type { KeyBinding } from '../../hooks/keymap.js';

export type MonitorAction =
  | 'up' | 'down' | 'first' | 'last' | 'pause' | 'slower' | 'faster' | 'sort' | 'filter' | 'idle' | 'open'
  | 'tree' | 'mode' | 'min' | 'export' | 'cancel' | 'terminate';

/** No `k` for up here: k terminates, as in pg_activity. */
const moveKeys: KeyBinding<MonitorAction>[] = [
  { action: 'up', keys: ['up'], label: '↑', help: 'move up', hint: '↑↓ move' },
  { action: 'down', keys: ['down', 'j'], label: '↓ j', help: 'move down' },
  { action: 'first', keys: ['home', 'g', 'pgup'], label: 'Home g', help: 'first session' },
  { action: 'last', keys: ['end', 'G', 'pgdn'], label: 'End G', help: 'last session' },
];

const viewKeys: KeyBinding<MonitorAction>[] = [
  { action: 'pause', keys: ['space'], label: 'space', help: 'freeze the table (the header keeps counting) or go on', hint: 'space pause' },
  { action: 'slower', keys: ['+', '='], label: '+', help: 'refresh less often (up to 10 s)', hint: '+/- interval' },
  { action: 'faster', keys: ['-', '_'], label: '-', help: 'refresh more often (down to 0.5 s)' },
  { action: 'sort', keys: ['s'], label: 's', help: 'sort by duration, pid, state, user, program', hint: 's sort' },
  { action: 'filter', keys: ['/'], label: '/', help: 'filter: column:regex … (db user app program state query; Esc clears)', hint: '/ filter' },
  { action: 'idle', keys: ['i'], label: 'i', help: 'show or hide idle sessions', hint: 'i idle' },
  { action: 'tree', keys: ['t'], label: 't', help: 'the blocking tree: who blocks whom, root blocker first', hint: 't tree' },
  { action: 'mode', keys: ['d'], label: 'd', help: 'duration of the query, the transaction or the connection', hint: 'd duration' },
  { action: 'min', keys: ['m'], label: 'm', help: 'minimum duration: 0, 1, 5, 30, 60, 300 s' },
  { action: 'export', keys: ['e'], label: 'e', help: 'export the rows shown as CSV to catmaid-tui\'s state folder', hint: 'e export' },
  { action: 'open', keys: ['enter'], label: '⏎', help: 'the full query of the selected session', hint: '⏎ query' },
];

export const cancelKey: KeyBinding<MonitorAction> = {
  action: 'cancel', keys: ['c'], label: 'c', help: 'cancel the selected query (pg_cancel_backend; asks first)',
  hint: 'c cancel',
};

export const terminateKey: KeyBinding<MonitorAction> = {
  action: 'terminate', keys: ['k'], label: 'k', help: 'end the selected backend (pg_terminate_backend; asks first)',
  hint: 'k kill',
};

/** What the help lists: everything, c and k with a word that they depend on the role's rights. */
export const monitorKeys: KeyBinding<MonitorAction>[] = [
  ...moveKeys,
  ...viewKeys,
  { ...cancelKey, help: `${cancelKey.help}; offered when the role may` },
  { ...terminateKey, help: `${terminateKey.help}; offered when the role may` },
];

/** The keys that work right now: c and k only for a session the role may signal. */
export function activeKeys(maySignal: boolean): KeyBinding<MonitorAction>[] {
  return maySignal ? [...moveKeys, ...viewKeys, cancelKey, terminateKey] : [...moveKeys, ...viewKeys];
}

/** While the filter field is open every key is text except these. */
export const filterKeys: KeyBinding<'done' | 'erase' | 'clear'>[] = [
  { action: 'done', keys: ['enter'], label: '⏎', help: 'keep the filter', hint: '⏎ keep' },
  { action: 'erase', keys: ['backspace'], label: '⌫', help: 'erase a character' },
  { action: 'clear', keys: ['esc'], label: 'Esc', help: 'clear the filter', hint: 'esc clear' },
];

/** While the full query is open: it scrolls. */
export const detailKeys: KeyBinding<'close' | 'up' | 'down' | 'pgup' | 'pgdn' | 'top' | 'bottom'>[] = [
  { action: 'up', keys: ['up'], label: '↑', help: 'scroll up', hint: '↑↓ scroll' },
  { action: 'down', keys: ['down', 'j'], label: '↓ j', help: 'scroll down' },
  { action: 'pgup', keys: ['pgup'], label: 'PgUp', help: 'a page up' },
  { action: 'pgdn', keys: ['pgdn', 'space'], label: 'PgDn space', help: 'a page down' },
  { action: 'top', keys: ['home', 'g'], label: 'Home g', help: 'to the top' },
  { action: 'bottom', keys: ['end', 'G'], label: 'End G', help: 'to the end' },
  { action: 'close', keys: ['enter', 'esc'], label: '⏎ Esc', help: 'back to the sessions', hint: '⏎/esc close' },
];
