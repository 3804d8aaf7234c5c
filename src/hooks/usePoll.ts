import { useEffect, useRef } from 'react';

export interface PollOptions {
  /** While true nothing runs (a screen's space-to-pause, or nothing to poll yet). */
  paused?: boolean;
  /** Run once right away instead of after the first interval. */
  immediate?: boolean;
}

/**
 * Run `fn` every `intervalMs`, counted from the start of one run to the start of the next, so the promised
 * interval holds however long a run takes; a run that takes longer delays the next rather than overlapping it.
 * When the interval changes or polling resumes, the next run is due one (new) interval after the last one
 * started, at once if that is past: Home, back from a screen where it polled once a minute, does not show a
 * minute-old check under "every 5 s". Stops on unmount and while paused.
 */
export function usePoll(fn: () => Promise<unknown> | unknown, intervalMs: number, options: PollOptions = {}): void {
  const latest = useRef(fn);
  const lastStart = useRef<number | undefined>(undefined);
  const inFlight = useRef<Promise<void> | undefined>(undefined);
  useEffect(() => {
    latest.current = fn;
  }, [fn]);
  const { paused = false, immediate = false } = options;
  useEffect(() => {
    if (paused) return undefined;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    // Polling starting counts as a fresh reading (Home's instance was just read): the first run is one interval on.
    lastStart.current ??= Date.now();
    const dueIn = (): number => Math.max(0, (lastStart.current ?? 0) + intervalMs - Date.now());
    const tick = async (): Promise<void> => {
      // A run started under the previous interval is still going: never two at once.
      if (inFlight.current) await inFlight.current;
      if (stopped) return;
      lastStart.current = Date.now();
      const run = (async () => {
        try {
          await latest.current();
        } catch {
          // `fn` reports its own failures into state; a throw must not end the polling.
        }
      })();
      inFlight.current = run;
      await run;
      inFlight.current = undefined;
      if (!stopped) timer = setTimeout(() => void tick(), dueIn());
    };
    timer = setTimeout(() => void tick(), immediate ? 0 : dueIn());
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [intervalMs, paused, immediate]);
}
