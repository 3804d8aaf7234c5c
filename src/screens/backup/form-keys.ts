import type { KeyBinding } from '../../hooks/keymap.js';

/** Keys of a form (Backup, Schedule): fields are edited with ⏎, so ?, q and Esc keep working between them. */
export type FormAction = 'up' | 'down' | 'enter' | 'next' | 'previous';

export const formMoveKeys: KeyBinding<FormAction>[] = [
  { action: 'up', keys: ['up', 'shift+tab', 'k'], label: '↑ ⇧Tab k', help: 'previous field', hint: '↑↓ field' },
  { action: 'down', keys: ['down', 'tab', 'j'], label: '↓ Tab j', help: 'next field' },
  { action: 'enter', keys: ['enter'], label: '⏎', help: 'edit the field, switch the choice, or run the button', hint: '⏎ edit' },
  { action: 'next', keys: ['space', 'right', 'l'], label: 'space → l', help: 'next choice (format, edge table …)', hint: 'space switch' },
  { action: 'previous', keys: ['left', 'h'], label: '← h', help: 'previous choice' },
];

/** While a field is being typed into, every other key is text. */
export const editKeys: KeyBinding<'keep' | 'erase' | 'discard'>[] = [
  { action: 'keep', keys: ['enter'], label: '⏎', help: 'keep what was typed', hint: '⏎ keep' },
  { action: 'erase', keys: ['backspace'], label: '⌫', help: 'erase a character' },
  { action: 'discard', keys: ['esc'], label: 'Esc', help: 'leave the field as it was', hint: 'esc undo' },
];
