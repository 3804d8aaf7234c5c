import type { KeyBinding } from '../../hooks/keymap.js';

export type ExtensionsAction = 'up' | 'down' | 'add' | 'remove' | 'delete' | 'nginx' | 'refresh';

const listMove: KeyBinding<ExtensionsAction>[] = [
  { action: 'up', keys: ['up', 'k'], label: '↑ k', help: 'previous file', hint: '↑↓ move' },
  { action: 'down', keys: ['down', 'j'], label: '↓ j', help: 'next file' },
];

const addKey: KeyBinding<ExtensionsAction> = {
  action: 'add', keys: ['a'], label: 'a', help: 'add a .js/.css file: copy it into STATIC_EXTENSION_ROOT and list it (asks first)', hint: 'a add',
};
const removeKeys: KeyBinding<ExtensionsAction>[] = [
  { action: 'remove', keys: ['d'], label: 'd', help: 'take the selected file out of STATIC_EXTENSION_FILES, keep the file (asks first)', hint: 'd remove' },
  { action: 'delete', keys: ['x'], label: 'x', help: 'take it out and delete the file too (type its name to confirm)', hint: 'x remove+delete' },
];
const otherKeys: KeyBinding<ExtensionsAction>[] = [
  { action: 'nginx', keys: ['n'], label: 'n', help: 'the nginx location for STATIC_EXTENSION_URL, and whether nginx has it', hint: 'n nginx' },
  { action: 'refresh', keys: ['r'], label: 'r', help: 'read settings.py and the folder again', hint: 'r reload' },
];

/** The list: d and x only when a listed file is selected. */
export function listKeys(hasSelection: boolean): KeyBinding<ExtensionsAction>[] {
  return hasSelection ? [...listMove, addKey, ...removeKeys, ...otherKeys] : [addKey, ...otherKeys];
}

export const extensionsKeys: KeyBinding<ExtensionsAction>[] = listKeys(true);

/** The path field: every other key is text. */
export const inputKeys: KeyBinding<'complete' | 'submit' | 'erase' | 'cancel'>[] = [
  { action: 'complete', keys: ['tab'], label: 'Tab', help: 'complete the path from the file system (folders, .js, .css)', hint: 'tab complete' },
  { action: 'submit', keys: ['enter'], label: '⏎', help: 'add this file (asks first)', hint: '⏎ add' },
  { action: 'erase', keys: ['backspace'], label: '⌫', help: 'erase a character' },
  { action: 'cancel', keys: ['esc'], label: 'Esc', help: 'back to the list, nothing added', hint: 'esc cancel' },
];

export const hintKeys: KeyBinding<'close'>[] = [
  { action: 'close', keys: ['esc', 'enter', 'n'], label: 'Esc ⏎ n', help: 'back to the list', hint: 'esc close' },
];
