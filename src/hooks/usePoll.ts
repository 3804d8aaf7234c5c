import { useEffect, useRef } from 'react';

export interface PollOptions {
  /** While true nothing runs (a screen's space-to-pause, or nothing to poll yet). */
  paused?: boolean;
  /** Run once right away instead of after the first interval. */
  immediate?: boolean;
}

/**
 * Run `fn` every `intervalMs`, waiting for one run to finish before timing the next, so a slow database
 * never piles up overlapping probes. Stops on unmount and while paused.
 */
export function usePoll(fn: () => Promise<unknown> | unknown, intervalMs: number, options: PollOptions = {}): void {
  const latest = useRef(fn);
  useEffect(() => {
    latest.current = fn;
  }, [fn]);
  const { paused = false, immediate = false } = options;
  useEffect(() => {
    if (paused) return undefined;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const tick = async (): Promise<void> => {
      try {
        await latest.current();
      } catch {
        // `fn` reports its own failures into state; a throw must not end the polling.
      }
      if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
    };
    timer = setTimeout(() => void tick(), immediate ? 0 : intervalMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [intervalMs, paused, immediate]);
}
