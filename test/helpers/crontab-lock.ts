import os from 'node:os';
import path from 'node:path';
import { tryLockFile } from '../../src/tasks/lock-file.js';
import { rmSync } from 'node:fs';

/**
 * The test files that write a real user's crontab (nobody's, root's) run in parallel workers: each holds that
 * user's crontab for the whole file, from reading the crontab it puts back to putting it back, or one file's
 * crontab would be read, replaced or restored in the middle of another's test. Users in a fixed order (no
 * deadlock); a holder killed with -9 is taken over (tryLockFile).
 */
export async function holdCrontabs(users: readonly string[], waitMs = 100_000): Promise<() => void> {
  const locks = [...new Set(users)].sort().map((user) => path.join(os.tmpdir(), `catmaid-tui-test-crontab-${user}.lock`));
  const held: string[] = [];
  const release = () => {
    for (const lock of held.splice(0)) rmSync(lock, { force: true });
  };
  const deadline = Date.now() + waitMs;
  for (const lock of locks) {
    while (!tryLockFile(lock)) {
      if (Date.now() > deadline) {
        release();
        throw new Error(`another test file held ${lock} for ${waitMs / 1000} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    held.push(lock);
  }
  return release;
}
