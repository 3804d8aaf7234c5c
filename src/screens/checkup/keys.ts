import { listKeys, type KeyBinding } from '../../hooks/keymap.js';

export type CheckupAction = 'up' | 'down' | 'first' | 'last' | 'details' | 'apply' | 'export' | 'rerun';

const details: KeyBinding<'details'> = { action: 'details', keys: ['enter'], label: '⏎', help: 'more or less of the selected check', hint: '⏎ details' };
const apply: KeyBinding<'apply'> = { action: 'apply', keys: ['a'], label: 'a', help: "apply the selected check's fix (asks first)", hint: 'a apply' };
const exportKey: KeyBinding<'export'> = { action: 'export', keys: ['e'], label: 'e', help: 'export the report as Markdown', hint: 'e export' };
const rerun: KeyBinding<'rerun'> = { action: 'rerun', keys: ['r'], label: 'r', help: 'run the checkup again', hint: 'r rerun' };

export const checkupKeys: KeyBinding<CheckupAction>[] = [...listKeys, details, apply, exportKey, rerun];
/** Without an applicable fix on the selected check, `a` is not offered. */
export const checkupKeysNoApply: KeyBinding<CheckupAction>[] = [...listKeys, details, exportKey, rerun];
