import fs from 'node:fs';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Take `lock` (created O_EXCL, holding our pid), or return false while a live process (this one included)
 * holds it. A lock whose holder died (kill -9) is taken over.
 */
export function tryLockFile(lock: string): boolean {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lock, 'utf8') || 0);
      if (holder > 0 && alive(holder)) return false;
      fs.rmSync(lock, { force: true });
    }
  }
  return false;
}

/** Run `fn` holding `lock`, waiting up to `waitMs` for another holder; `busy` makes the error when it does not let go. */
export async function withLockFile<T>(lock: string, fn: () => Promise<T>, waitMs: number, busy: () => Error): Promise<T> {
  const deadline = Date.now() + waitMs;
  while (!tryLockFile(lock)) {
    if (Date.now() > deadline) throw busy();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}
