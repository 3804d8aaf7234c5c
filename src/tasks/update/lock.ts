import fs from 'node:fs';
import os from 'node:os';
import { RefusedError } from '../errors.js';
import { gitDirFile } from './git-dir.js';

/**
 * One update (or rollback) of an instance at a time, whoever runs it: the lock is a file in the checkout's git
 * folder, created with O_EXCL, holding the holder's pid, the start time of that process (so a reused pid is
 * not taken for the holder), user and host. Another user's live process answers kill(pid, 0) with EPERM: it
 * still counts. The file is 0644 so that every user can read who holds it.
 */
export interface LockHolder {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: tells a reused pid apart. */
  started: string | null;
  user: string;
  host: string;
  since: string;
}

export const updateLockPath = (root: string): string => gitDirFile(root, 'update.lock');

function processStart(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function alive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = processStart(holder.pid);
  return holder.started === null || started === null || started === holder.started;
}

function readHolder(file: string): LockHolder | null {
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof data.pid === 'number' ? (data as LockHolder) : null;
  } catch {
    return null;
  }
}

function me(): LockHolder {
  let user = String(process.getuid?.() ?? '');
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry: the uid says enough
  }
  return { pid: process.pid, started: processStart(process.pid), user, host: os.hostname(), since: new Date().toISOString() };
}

/**
 * Move a stale lock aside, and only it: if another process took the lock between our look and the rename, the
 * file moved is theirs and goes back (link fails rather than overwrite a lock made meanwhile).
 */
function breakStale(lock: string, stale: string): void {
  const aside = `${lock}.stale-${process.pid}`;
  try {
    fs.renameSync(lock, aside);
  } catch {
    return;
  }
  if (fs.readFileSync(aside, 'utf8') !== stale) {
    try {
      fs.linkSync(aside, lock);
    } catch {
      // someone made a lock meanwhile: theirs stands
    }
  }
  fs.rmSync(aside, { force: true });
}

/** Take the update lock of an instance, or refuse (exit 3) while another live process holds it. */
export function acquireUpdateLock(root: string): () => void {
  const lock = updateLockPath(root);
  const mine = JSON.stringify(me());
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      fs.writeFileSync(lock, mine, { flag: 'wx', mode: 0o644 });
      fs.chmodSync(lock, 0o644);
      return () => {
        // Only our own lock is removed: a lock broken as stale and taken by another process stays theirs.
        if (readHolder(lock)?.pid === process.pid) fs.rmSync(lock, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new RefusedError(`cannot take the update lock ${lock}: ${(err as Error).message}`, 'run as the user who owns the checkout, or as root');
      }
      let text: string;
      try {
        text = fs.readFileSync(lock, 'utf8');
      } catch (readErr) {
        throw new RefusedError(`cannot read the update lock ${lock}: ${(readErr as Error).message}`, 'another user may be updating: ask, or run as root');
      }
      const holder = readHolder(lock);
      if (holder && alive(holder)) {
        throw new RefusedError(
          `an update of ${root} is already in progress (pid ${holder.pid}, user ${holder.user} on ${holder.host}, since ${holder.since})`,
          `wait for it, or remove ${lock} if that process is gone`,
        );
      }
      breakStale(lock, text);
    }
  }
  throw new RefusedError(`cannot take the update lock ${lock}`, 'another update keeps taking it: try again');
}

/** Who holds the lock now (a live process), if anyone. */
export function updateLockHolder(root: string): LockHolder | null {
  const holder = readHolder(updateLockPath(root));
  return holder && alive(holder) ? holder : null;
}
