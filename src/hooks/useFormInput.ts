import { useInput, type Key } from 'ink';
import { useCallback, useEffect, useRef, useState } from 'react';
import { actionFor, keyPresses, type KeyBinding, type KeyPress } from './keymap.js';
import { useShell } from './shell-context.js';

/** What a text field hears while it is edited. */
export type FieldEvent = { type: 'type'; text: string } | { type: 'keep' } | { type: 'erase' } | { type: 'discard' };

/** While a field is edited every key is text, except ⏎ (keep), ⌫ and Esc (leave it as it was). */
export const fieldEditKeys: KeyBinding<'keep' | 'erase' | 'discard'>[] = [
  { action: 'keep', keys: ['enter'], label: '⏎', help: 'keep what was typed', hint: '⏎ keep' },
  { action: 'erase', keys: ['backspace'], label: '⌫', help: 'erase a character' },
  { action: 'discard', keys: ['esc'], label: 'Esc', help: 'leave the field as it was', hint: 'esc undo' },
];

/**
 * A reducer whose newest state can be read at once: `current()` already holds what the last dispatch made, before
 * React has rendered it. Keys are routed by it, so the key after ⏎ sees the mode ⏎ produced.
 */
export function useCurrentReducer<S, E, I>(reducer: (state: S, event: E) => S, arg: I, init: (arg: I) => S): [S, (event: E) => void, () => S] {
  const [state, setState] = useState(() => init(arg));
  const now = useRef(state);
  const dispatch = useCallback(
    (event: E) => {
      now.current = reducer(now.current, event);
      setState(now.current);
    },
    [reducer],
  );
  const current = useCallback(() => now.current, []);
  return [state, dispatch, current];
}

export interface FormRouting<A extends string> {
  /** The form's newest state (`useCurrentReducer`'s `current`), read at each key: a field is edited while it has a draft. */
  form(): { draft?: string };
  field(event: FieldEvent): void;
  /** The screen's keys while no field is edited ([] while it asks or works). */
  bindings: readonly KeyBinding<A>[];
  onAction(action: A): void;
}

/**
 * The one input handler of a form screen: each key goes to the field being edited or to the screen's key map,
 * decided when the key arrives, never by which handler React last made active. Two handlers swapped with
 * ink's `isActive` switch only after a render and its effects, and a key typed in between (a paste, tmux, a fast
 * typist over SSH) went to the old one: into the old field, to the form's keys, or to the shell (q quit).
 * Inside the shell the keys come through it (so q, ? and Esc are text while a field is edited); alone, as in
 * screen tests, the hook listens itself.
 */
export function useFormInput<A extends string>(routing: FormRouting<A>, isActive: boolean): void {
  const latest = useRef(routing);
  latest.current = routing;
  const { route } = useShell();
  const typing = useCallback(() => latest.current.form().draft !== undefined, []);
  const take = useCallback((press: KeyPress) => {
    const { field, bindings, onAction } = latest.current;
    if (typing()) {
      const action = actionFor(fieldEditKeys, press.name);
      if (action) field({ type: action });
      else if (press.text) field({ type: 'type', text: press.text });
      return;
    }
    const action = actionFor(bindings, press.name);
    if (action !== undefined) onAction(action);
  }, [typing]);
  useEffect(() => (isActive && route ? route({ typing, take }) : undefined), [isActive, route, typing, take]);
  const listen = useCallback((input: string, key: Key) => {
    for (const press of keyPresses(input, key)) take(press);
  }, [take]);
  useInput(listen, { isActive: isActive && !route });
}
