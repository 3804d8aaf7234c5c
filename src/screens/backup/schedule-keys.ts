import type { KeyBinding } from '../../hooks/keymap.js';
import { formMoveKeys, type FormAction } from './form-keys.js';

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
