import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { oneLine } from '../tasks/errors.js';
import type { LocatedInstance } from '../tasks/instance/locate.js';
import type { Notice } from '../tasks/instance/notices.js';
import type { InstanceInfo } from '../tasks/instance/types.js';
import { instanceReducer, type InstanceState, type LiveState } from './instance-state.js';
import { usePoll } from './usePoll.js';

/** The task functions the wizard reads an instance with (src/tasks/instance; fakes in screen tests). */
export interface InstanceServices {
  discover(located: LocatedInstance): Promise<InstanceInfo>;
  probe(info: InstanceInfo): Promise<LiveState>;
  /** What needs the admin's attention (src/tasks/instance/notices.ts); absent in tests that do not care. */
  notices?(info: InstanceInfo): Promise<Notice[]>;
}

export const LIVE_INTERVAL_MS = 5000;

/** Load an instance once, then keep its live part (database reachable, server running) fresh. */
export function useInstance(
  located: LocatedInstance,
  services: InstanceServices,
  intervalMs = LIVE_INTERVAL_MS,
): { state: InstanceState; reload: () => void; refresh: () => void } {
  const [state, dispatch] = useReducer(instanceReducer, { status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const infoRef = useRef<InstanceInfo | undefined>(undefined);
  infoRef.current = state.status === 'ready' ? state.info : undefined;

  useEffect(() => {
    let current = true;
    dispatch({ type: 'loading' });
    services.discover(located).then(
      (info) => current && dispatch({ type: 'loaded', info, at: Date.now() }),
      (err: unknown) => current && dispatch({ type: 'failed', error: oneLine(err) }),
    );
    return () => {
      current = false;
    };
  }, [located, services, generation]);

  const probe = useCallback(async () => {
    const info = infoRef.current;
    if (!info) return;
    try {
      dispatch({ type: 'live', live: await services.probe(info), at: Date.now() });
    } catch (err) {
      dispatch({ type: 'live-failed', error: oneLine(err), at: Date.now() });
    }
  }, [services]);
  usePoll(probe, intervalMs, { paused: state.status !== 'ready' });

  const reload = useCallback(() => setGeneration((n) => n + 1), []);

  // Read everything again (version, git state, settings) without leaving the screens: after an update, a restore
  // or a settings change, the title bar and Home show the new state at once, and the screen stays where it is.
  const mounted = useRef(true);
  useEffect(() => () => {
    mounted.current = false;
  }, []);
  const refresh = useCallback(() => {
    services.discover(located).then(
      (info) => mounted.current && dispatch({ type: 'loaded', info, at: Date.now() }),
      (err: unknown) => mounted.current && dispatch({ type: 'live-failed', error: `could not read the instance again: ${oneLine(err)}`, at: Date.now() }),
    );
  }, [located, services]);
  return { state, reload, refresh };
}
