import v8 from 'node:v8';

/**
 * A V8 flag that keeps a long-open Monitor screen smaller (issue 18: resident memory flat and below 80 MB over 10
 * minutes), set while the screen is shown and put back when it goes. Only flags that V8 still reads after start
 * up do anything here (checked by test/unit/monitor-lean-heap.test.ts and bench/monitor):
 * - `--semi-space-growth-factor=1`: the young generation stays at its starting size (1 MB a semi-space). By
 *   default it doubles whenever a scavenge keeps many objects alive, which a refresh of 200 sessions does,
 *   and on Node 24 it may grow to 64 MB a semi-space: in bench/monitor it reached 16-32 MB and stayed there.
 * The executable's monitor (200 connections, 1 s, 3 min side by side): 100-115 MB without it, 93-105 MB with it,
 * at no CPU cost. Left out: `--optimize-for-size` (84-87 MB with both; in three 10-minute runs 89.5/90.9/89.3 MB,
 * Node 20 from source 74.0/76.0/74.7) raised the CPU ratio to pg_activity over the first minute from 0.53-0.60 to
 * 0.88-1.10, breaking issue 18's CPU goal in one run of three, and memory stayed above 80 MB with it anyway.
 * Not used either: --max-semi-space-size and --single-threaded do nothing after start up; --max-opt=2 set now still
 * lets TurboFan optimise (V8 derives its tiers from it at start up; --no-turbofan does stop it, but saved nothing
 * measurable here); glibc's MALLOC_ARENA_MAX=2 and MALLOC_TRIM_THRESHOLD_ (only through a re-exec of the
 * executable) saved under 1 MB.
 * Restoring puts V8's default back, so that a backup or restore started from the wizard afterwards runs as it does
 * from its own command (its streaming was measured with the defaults).
 */
const LEAN = ['--semi-space-growth-factor=1'];
const DEFAULTS = ['--semi-space-growth-factor=2'];

let holders = 0;

/** Lean heap settings until the returned function is called (nested holders share them). */
export function leanHeap(): () => void {
  if (holders === 0) for (const flag of LEAN) v8.setFlagsFromString(flag);
  holders += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders -= 1;
    if (holders === 0) for (const flag of DEFAULTS) v8.setFlagsFromString(flag);
  };
}
