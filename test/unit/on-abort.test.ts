import { describe, expect, it } from 'vitest';
import { onAbort } from '../../src/tasks/on-abort.js';

describe('onAbort', () => {
  it('stops at once what starts after the abort (SIGTERM before pg_dump started left it running)', () => {
    const controller = new AbortController();
    controller.abort();
    let stopped = 0;
    onAbort(controller.signal, () => (stopped += 1));
    expect(stopped).toBe(1);
  });

  it('stops once on a later abort, and not after it stopped listening', () => {
    const later = new AbortController();
    let stopped = 0;
    onAbort(later.signal, () => (stopped += 1));
    later.abort();
    expect(stopped).toBe(1);
    const ignored = new AbortController();
    const stopListening = onAbort(ignored.signal, () => (stopped += 1));
    stopListening();
    ignored.abort();
    expect(stopped).toBe(1);
  });
});
