import { useInput, type Key } from 'ink';
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { keyPresses } from './keymap.js';
import { useShell, type KeyRoute, type RouteLayer } from './shell-context.js';

/**
 * The one input handler of a screen or question whose mode changes with its keys: each key is routed by the
 * newest state `route` reads (a field opened, a question asked by the key before), never by which handler React
 * last made active. Handlers swapped with ink's `isActive`, or a typing hold, switch only after a render and its
 * effects, and a key typed in between (a paste, tmux send-keys, a fast typist over SSH) went to the old mode or
 * to the shell (a q in a path quit the wizard).
 *
 * Inside the shell the keys come through it (ShellControl.route), registered in a layout effect so that a
 * question drawn by one key takes the next; alone, as in screen tests, the hook listens itself. `release()`
 * hands the keys back at once (a question that was answered): the rest of the chunk goes to the screen.
 */
export function useKeyRoute(route: KeyRoute, isActive: boolean, layer: RouteLayer = 'screen'): { release(): void } {
  const latest = useRef(route);
  latest.current = route;
  const { route: register, shown } = useShell();
  const [generation, setGeneration] = useState(0);
  const released = useRef(false);
  const unregister = useRef<(() => void) | undefined>(undefined);
  const stable = useRef<KeyRoute>({
    hold: () => latest.current.hold(),
    take: (press) => latest.current.take(press),
    waiting: () => latest.current.waiting?.() ?? false,
  });

  useLayoutEffect(() => {
    released.current = false;
    if (!isActive || !register) return undefined;
    const off = register(stable.current, layer);
    unregister.current = () => {
      off();
      shown?.(layer, undefined);
    };
    return () => {
      unregister.current?.();
      unregister.current = undefined;
    };
  }, [isActive, register, shown, layer, generation]);
  // Each render tells the shell what it holds now, for the status bar (it bails out when nothing changed).
  useLayoutEffect(() => {
    if (unregister.current) shown?.(layer, { hold: latest.current.hold(), keys: latest.current.keys });
  });

  const release = useCallback(() => {
    released.current = true;
    unregister.current?.();
    unregister.current = undefined;
    // Still shown after the next render (an answer that kept the question open): it routes again then.
    setGeneration((n) => n + 1);
  }, []);

  const listen = useCallback((input: string, key: Key) => {
    for (const press of keyPresses(input, key)) {
      if (released.current) return;
      stable.current.take(press);
    }
  }, []);
  useInput(listen, { isActive: isActive && !register });
  return { release };
}
