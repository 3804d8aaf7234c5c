/**
 * Run `stop` when `signal` aborts, at once when it already has: a listener added after the abort would never run,
 * and the task it should stop (a pg_dump waiting for a lock, a restore's load) would go on after SIGTERM.
 * Returns the way to stop listening.
 */
export function onAbort(signal: AbortSignal | undefined, stop: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    stop();
    return () => undefined;
  }
  signal.addEventListener('abort', stop, { once: true });
  return () => signal.removeEventListener('abort', stop);
}
