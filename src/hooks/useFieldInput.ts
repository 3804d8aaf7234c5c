import { useInput } from 'ink';
import { actionFor, keyName, type KeyBinding } from './keymap.js';

/** What a text field hears while it is edited. */
export type FieldEvent = { type: 'type'; text: string } | { type: 'keep' } | { type: 'erase' } | { type: 'discard' };

/** While a field is edited every key is text, except ⏎ (keep), ⌫ and Esc (leave it as it was). */
export const fieldEditKeys: KeyBinding<'keep' | 'erase' | 'discard'>[] = [
  { action: 'keep', keys: ['enter'], label: '⏎', help: 'keep what was typed', hint: '⏎ keep' },
  { action: 'erase', keys: ['backspace'], label: '⌫', help: 'erase a character' },
  { action: 'discard', keys: ['esc'], label: 'Esc', help: 'leave the field as it was', hint: 'esc undo' },
];

export function useFieldInput(dispatch: (event: FieldEvent) => void, isActive: boolean): void {
  useInput(
    (input, key) => {
      // Typed fast (or pasted, or sent by tmux in one write), the text and Enter arrive as one chunk.
      if (/^[^\r\x1b]+\r$/.test(input)) {
        dispatch({ type: 'type', text: input.slice(0, -1) });
        dispatch({ type: 'keep' });
        return;
      }
      const action = actionFor(fieldEditKeys, keyName(input, key));
      if (action) dispatch({ type: action });
      else if (input && !key.ctrl && !key.meta) dispatch({ type: 'type', text: input });
    },
    { isActive },
  );
}
