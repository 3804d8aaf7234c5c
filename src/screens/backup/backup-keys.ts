import type { KeyBinding } from '../../hooks/keymap.js';
import { formMoveKeys, type FormAction } from './form-keys.js';

export type BackupAction = FormAction | 'start' | 'stop' | 'again';

const startKey: KeyBinding<BackupAction> = { action: 'start', keys: ['s'], label: 's', help: 'start the backup with these choices', hint: 's start' };
const stopKey: KeyBinding<BackupAction> = {
  action: 'stop', keys: ['esc'], label: 'Esc', help: 'stop the running backup (asks first; nothing is left behind)', hint: 'esc stop (asks)',
};
const againKey: KeyBinding<BackupAction> = { action: 'again', keys: ['n'], label: 'n', help: 'back to the form for another backup', hint: 'n new backup' };

export const backupFormKeys: KeyBinding<BackupAction>[] = [...formMoveKeys, startKey];
export const backupRunningKeys: KeyBinding<BackupAction>[] = [stopKey];
export const backupEndKeys: KeyBinding<BackupAction>[] = [againKey];

/** Everything the screen can do, for the help overlay on opening. */
export const backupKeys: KeyBinding<BackupAction>[] = [...backupFormKeys, stopKey, againKey];
