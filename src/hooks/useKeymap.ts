import { useInput } from 'ink';
import { useEffect, useRef } from 'react';
import { actionFor, keyNames, type KeyBinding } from './keymap.js';

/**
 * The one binding from key presses to actions (the @inkjs/ui `use-<name>.ts` role): a screen declares its
 * key map as data and handles actions, never raw key codes.
 */
export function useKeymap<A extends string>(
  bindings: readonly KeyBinding<A>[],
  onAction: (action: A) => void,
  options: { isActive?: boolean } = {},
): void {
  const handler = useRef(onAction);
  useEffect(() => {
    handler.current = onAction;
  }, [onAction]);
  useInput(
    (input, key) => {
      for (const name of keyNames(input, key)) {
        const action = actionFor(bindings, name);
        if (action !== undefined) handler.current(action);
      }
    },
    { isActive: options.isActive ?? true },
  );
}
