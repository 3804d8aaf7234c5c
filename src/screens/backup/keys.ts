import { listKeys, type KeyBinding } from '../../hooks/keymap.js';

/** The key maps of the Backup, Restore and Schedule screens, as data: the same lists drive input, status bar and help. */
// Forms (Backup, Schedule): fields are edited with ⏎, so ?, q and Esc keep working between them.
export type FormAction = 'up' | 'down' | 'enter' | 'next' | 'previous';

export const formMoveKeys: KeyBinding<FormAction>[] = [
  { action: 'up', keys: ['up', 'shift+tab', 'k'], label: '↑ ⇧Tab k', help: 'previous field', hint: '↑↓ field' },
  { action: 'down', keys: ['down', 'tab', 'j'], label: '↓ Tab j', help: 'next field' },
  { action: 'enter', keys: ['enter'], label: '⏎', help: 'edit the field, switch the choice, or run the button', hint: '⏎ edit' },
  { action: 'next', keys: ['space', 'right', 'l'], label: 'space → l', help: 'next choice (format, edge table …)', hint: 'space switch' },
  { action: 'previous', keys: ['left', 'h'], label: '← h', help: 'previous choice' },
];

/** While a field is being typed into, every other key is text. */
export { fieldEditKeys as editKeys } from '../../hooks/useFormInput.js';

export type BackupAction = FormAction | 'start' | 'stop' | 'again';

const startKey: KeyBinding<BackupAction> = { action: 'start', keys: ['s'], label: 's', help: 'start the backup with these choices', hint: 's start' };
const backupStopKey: KeyBinding<BackupAction> = {
  action: 'stop', keys: ['esc'], label: 'Esc', help: 'stop the running backup (asks first; nothing is left behind)', hint: 'esc stop (asks)',
};
const againKey: KeyBinding<BackupAction> = { action: 'again', keys: ['n'], label: 'n', help: 'back to the form for another backup', hint: 'n new backup' };

export const backupFormKeys: KeyBinding<BackupAction>[] = [...formMoveKeys, startKey];
export const backupRunningKeys: KeyBinding<BackupAction>[] = [backupStopKey];
export const backupEndKeys: KeyBinding<BackupAction>[] = [againKey];

/** Everything the screen can do, for the help overlay on opening. */
export const backupKeys: KeyBinding<BackupAction>[] = [...backupFormKeys, backupStopKey, againKey];

export type RestoreAction =
  | 'up' | 'down' | 'first' | 'last' | 'open' | 'reload' | 'back' | 'safety' | 'allow' | 'restore' | 'stop' | 'list' | 'rebuild'
  | 'lock-wait' | 'lock-cancel' | 'lock-terminate' | 'lock-abort';

const restoreOpenKey: KeyBinding<RestoreAction> = { action: 'open', keys: ['enter'], label: '⏎', help: 'verify the selected backup and show its details', hint: '⏎ details' };
const restoreReloadKey: KeyBinding<RestoreAction> = { action: 'reload', keys: ['r'], label: 'r', help: 'read the backup folder again', hint: 'r reload' };
const restoreBackKey: KeyBinding<RestoreAction> = { action: 'back', keys: ['esc'], label: 'Esc', help: 'back to the list of backups', hint: 'esc list' };
const safetyKey: KeyBinding<RestoreAction> = { action: 'safety', keys: ['s'], label: 's', help: 'take a safety backup of the current database first, or not (on by default)', hint: 's safety backup' };
const allowKey: KeyBinding<RestoreAction> = {
  action: 'allow', keys: ['a'], label: 'a', help: 'restore although the backup was made under another commit (migrations may not match)', hint: 'a allow mismatch',
};
const restoreKey: KeyBinding<RestoreAction> = { action: 'restore', keys: ['r'], label: 'r', help: 'restore it (type the database name to confirm)', hint: 'r restore' };
const restoreStopKey: KeyBinding<RestoreAction> = { action: 'stop', keys: ['esc'], label: 'Esc', help: 'stop the restore (asks; the transaction is rolled back)', hint: 'esc stop (asks)' };
const restoreListKey: KeyBinding<RestoreAction> = { action: 'list', keys: ['l'], label: 'l', help: 'back to the list of backups', hint: 'l list' };

const rebuildKey: KeyBinding<RestoreAction> = {
  action: 'rebuild', keys: ['e'], label: 'e', help: 'rebuild the derived (edge) tables now (offered while they are empty; asks first)', hint: 'e rebuild edges',
};

/** e only while the derived tables are empty. */
export function restoreListKeys(emptyDerived = false): KeyBinding<RestoreAction>[] {
  return [...listKeys, restoreOpenKey, restoreReloadKey, ...(emptyDerived ? [rebuildKey] : [])];
}

/** While the load waits for a lock: what to do about the sessions that hold it. */
export const lockKeys: KeyBinding<RestoreAction>[] = [
  { action: 'lock-cancel', keys: ['c'], label: 'c', help: "cancel the blocking sessions' queries", hint: 'c cancel their queries' },
  { action: 'lock-terminate', keys: ['k'], label: 'k', help: 'end the blocking sessions (the monitor\'s terminate)', hint: 'k end their sessions' },
  { action: 'lock-abort', keys: ['a'], label: 'a', help: 'abort the restore (rolled back, the database unchanged)', hint: 'a abort' },
  { action: 'lock-wait', keys: ['w'], label: 'w', help: 'go on waiting', hint: 'w wait' },
];

/** Details: a is offered only while a commit mismatch waits for a choice, r only once nothing blocks. */
export function detailKeys(options: { mismatchOpen: boolean; mayRestore: boolean }): KeyBinding<RestoreAction>[] {
  return [restoreBackKey, safetyKey, ...(options.mismatchOpen ? [allowKey] : []), ...(options.mayRestore ? [restoreKey] : [])];
}

export const restoreRunningKeys: KeyBinding<RestoreAction>[] = [restoreStopKey];
export const restoreEndKeys: KeyBinding<RestoreAction>[] = [restoreListKey];

export const restoreKeys: KeyBinding<RestoreAction>[] = [...restoreListKeys(true), restoreBackKey, safetyKey, allowKey, restoreKey, restoreStopKey, ...lockKeys, restoreListKey];

export type ScheduleAction = FormAction | 'install' | 'remove' | 'systemd' | 'reload';

const installKey: KeyBinding<ScheduleAction> = {
  action: 'install', keys: ['i'], label: 'i', help: 'add the line to your crontab (asks; installing twice keeps one line)', hint: 'i install',
};
const removeKey: KeyBinding<ScheduleAction> = {
  action: 'remove', keys: ['x'], label: 'x', help: 'take the scheduled backup out of your crontab (asks)', hint: 'x remove',
};
const systemdKey: KeyBinding<ScheduleAction> = {
  action: 'systemd', keys: ['t'], label: 't', help: 'show the systemd service + timer instead of the crontab line, or back', hint: 't systemd',
};
const reloadKey: KeyBinding<ScheduleAction> = { action: 'reload', keys: ['r'], label: 'r', help: 'read the crontab and .pgpass again', hint: 'r reload' };

/** x only while a line is installed; while the systemd units show, only t (back) and r. */
export function scheduleFormKeys(installed: boolean, systemd = false): KeyBinding<ScheduleAction>[] {
  if (systemd) return [systemdKey, reloadKey];
  return [...formMoveKeys, installKey, ...(installed ? [removeKey] : []), systemdKey, reloadKey];
}

export const scheduleKeys: KeyBinding<ScheduleAction>[] = [...formMoveKeys, installKey, removeKey, systemdKey, reloadKey];
