import { useInput } from 'ink';
import type { Dispatch } from 'react';
import { actionFor, keyName } from '../../hooks/keymap.js';
import type { FormEvent } from './form-state.js';
import { editKeys } from './keys.js';

/** While a field is edited every key is text, except ⏎ (keep), ⌫ and Esc (leave it as it was). */
export function useFieldInput(dispatch: Dispatch<FormEvent>, isActive: boolean): void {
  useInput(
    (input, key) => {
      // Typed fast (or pasted, or sent by tmux in one write), the text and Enter arrive as one chunk.
      if (/^[^\r\x1b]+\r$/.test(input)) {
        dispatch({ type: 'type', text: input.slice(0, -1) });
        dispatch({ type: 'keep' });
        return;
      }
      const action = actionFor(editKeys, keyName(input, key));
      if (action) dispatch({ type: action });
      else if (input && !key.ctrl && !key.meta) dispatch({ type: 'type', text: input });
    },
    { isActive },
  );
}
