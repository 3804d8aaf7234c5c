import { listKeys, type KeyBinding } from '../../hooks/keymap.js';

export type RestoreAction = 'up' | 'down' | 'first' | 'last' | 'open' | 'reload' | 'back' | 'safety' | 'allow' | 'restore' | 'stop' | 'list';

const openKey: KeyBinding<RestoreAction> = { action: 'open', keys: ['enter'], label: '⏎', help: 'verify the selected backup and show its details', hint: '⏎ details' };
const reloadKey: KeyBinding<RestoreAction> = { action: 'reload', keys: ['r'], label: 'r', help: 'read the backup folder again', hint: 'r reload' };
const backKey: KeyBinding<RestoreAction> = { action: 'back', keys: ['esc'], label: 'Esc', help: 'back to the list of backups', hint: 'esc list' };
const safetyKey: KeyBinding<RestoreAction> = { action: 'safety', keys: ['s'], label: 's', help: 'take a safety backup of the current database first, or not (on by default)', hint: 's safety backup' };
export const allowKey: KeyBinding<RestoreAction> = {
  action: 'allow', keys: ['a'], label: 'a', help: 'restore although the backup was made under another commit (migrations may not match)', hint: 'a allow mismatch',
};
const restoreKey: KeyBinding<RestoreAction> = { action: 'restore', keys: ['r'], label: 'r', help: 'restore it (type the database name to confirm)', hint: 'r restore' };
const stopKey: KeyBinding<RestoreAction> = { action: 'stop', keys: ['esc'], label: 'Esc', help: 'stop the restore (asks; the transaction is rolled back)', hint: 'esc stop (asks)' };
const listKey: KeyBinding<RestoreAction> = { action: 'list', keys: ['l'], label: 'l', help: 'back to the list of backups', hint: 'l list' };

export const restoreListKeys: KeyBinding<RestoreAction>[] = [...listKeys, openKey, reloadKey];

/** Details: a is offered only while a commit mismatch waits for a choice, r only once nothing blocks. */
export function detailKeys(options: { mismatchOpen: boolean; mayRestore: boolean }): KeyBinding<RestoreAction>[] {
  return [backKey, safetyKey, ...(options.mismatchOpen ? [allowKey] : []), ...(options.mayRestore ? [restoreKey] : [])];
}

export const restoreRunningKeys: KeyBinding<RestoreAction>[] = [stopKey];
export const restoreEndKeys: KeyBinding<RestoreAction>[] = [listKey];

export const restoreKeys: KeyBinding<RestoreAction>[] = [...restoreListKeys, backKey, safetyKey, allowKey, restoreKey, stopKey, listKey];
