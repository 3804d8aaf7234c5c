import { useCallback, useRef, useState } from 'react';

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

function merge<S>(state: S, patch: Partial<S>): S {
  return { ...state, ...patch };
}

/** useCurrentReducer for a screen's record of view state: `set` changes some of it, `current()` reads it at once. */
export function useCurrentState<S extends object>(initial: S): [S, (patch: Partial<S>) => void, () => S] {
  return useCurrentReducer<S, Partial<S>, S>(merge, initial, (first) => first);
}

function replace<S>(_state: S, next: S): S {
  return next;
}

/** useState whose newest value `current()` reads at once (a question asked by the key before). */
export function useCurrentValue<S>(initial: S): [S, (next: S) => void, () => S] {
  return useCurrentReducer<S, S, S>(replace, initial, (first) => first);
}
