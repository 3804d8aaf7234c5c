import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { RefusedError } from '../errors.js';
import { stateHome } from '../paths.js';
import { processAlive } from '../process-alive.js';
import type { StepId } from './plan.js';

/**
 * Every update writes a journal before it changes anything, and after each step: the commit and branch it started
 * from, the backup, the steps done. `update --rollback` reads it later, even after the TUI was closed or the SSH
 * connection dropped. A lock file next to it (holding the pid) keeps a second update out.
 */
export interface UpdateJournal {
  root: string;
  startedAt: string;
  pid: number;
  previous: { commit: string; branch: string | null; describe: string | null };
  target: { ref: string; kind: string; commit: string };
  backup: string | null;
  /** Tables, views and sequences when the backup was taken: the rollback drops any the update added. */
  relations?: { schema: string; name: string }[];
  logFile: string;
  steps: { id: StepId; stage: number; state: 'done' | 'failed'; seconds: number }[];
  status: 'running' | 'done' | 'failed' | 'rolled-back';
  rolledBackAt?: string;
}

export function journalDir(): string {
  return path.join(stateHome(), 'catmaid-tui', 'updates');
}

function key(root: string): string {
  return `${path.basename(root)}-${crypto.createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 10)}`;
}

export const journalPath = (root: string): string => path.join(journalDir(), `${key(root)}.json`);
const lockPath = (root: string): string => path.join(journalDir(), `${key(root)}.lock`);

export function readJournal(root: string): UpdateJournal | null {
  try {
    return JSON.parse(fs.readFileSync(journalPath(root), 'utf8')) as UpdateJournal;
  } catch {
    return null;
  }
}

export async function writeJournal(journal: UpdateJournal): Promise<void> {
  fs.mkdirSync(journalDir(), { recursive: true, mode: 0o700 });
  await writeFileAtomic(journalPath(journal.root), `${JSON.stringify(journal, null, 2)}\n`, { mode: 0o600 });
}

/** Take the update lock of an instance, or refuse (exit 3) while another live process holds it. */
export function acquireUpdateLock(root: string): () => void {
  fs.mkdirSync(journalDir(), { recursive: true, mode: 0o700 });
  const lock = lockPath(root);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => fs.rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lock, 'utf8') || 0);
      if (holder > 0 && holder !== process.pid && processAlive(holder)) {
        throw new RefusedError(`an update of ${root} is already in progress (pid ${holder})`, `wait for it, or remove ${lock} if that process is gone`);
      }
      fs.rmSync(lock, { force: true });
    }
  }
  throw new RefusedError(`cannot take the update lock ${lock}`);
}
