import fs from 'node:fs';
import { writeFileAtomic } from '../atomic-write.js';
import { gitDirFile } from './git-dir.js';
import { updateLockHolder } from './lock.js';
import type { StepId, UpdateStep } from './plan.js';

/**
 * Every update writes a journal before it changes anything, and after each step: the commit and branch it started
 * from, the backup, the plan and the steps done. `update --rollback` and `update --resume` read it later, even
 * after the TUI was closed, the SSH connection dropped or catmaid-tui was killed. It lives in the checkout's git
 * folder next to the lock, so an unfinished update blocks the next one whoever starts it. No secrets in it.
 */
export interface UpdateJournal {
  root: string;
  startedAt: string;
  pid: number;
  user?: string;
  previous: { commit: string; branch: string | null; describe: string | null };
  target: { ref: string; kind: string; commit: string };
  backup: string | null;
  /** Tables, views and sequences when the backup was taken: the rollback drops any the update added. */
  relations?: { schema: string; name: string }[];
  logFile: string;
  /** Every command of the update, in order: `--resume` runs the ones not done. */
  plan?: UpdateStep[];
  steps: { id: StepId; stage: number; state: 'done' | 'failed'; seconds: number }[];
  status: 'running' | 'done' | 'failed' | 'rolled-back';
  rolledBackAt?: string;
}

export const journalPath = (root: string): string => gitDirFile(root, 'update.json');

/** The journal, null when there is none; an unreadable one is an error (it may hold an unfinished update). */
export function readJournal(root: string): UpdateJournal | null {
  let text: string;
  try {
    text = fs.readFileSync(journalPath(root), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read the update journal ${journalPath(root)}: ${(err as Error).message}`);
  }
  return JSON.parse(text) as UpdateJournal;
}

/** 0644: other users who may update this checkout must see an unfinished update. */
export async function writeJournal(journal: UpdateJournal): Promise<void> {
  await writeFileAtomic(journalPath(journal.root), `${JSON.stringify(journal, null, 2)}\n`, { mode: 0o644 });
}

/** An update that began and neither finished nor was rolled back (killed, or a step failed). */
export interface UnfinishedUpdate {
  journal: UpdateJournal;
  /** Steps of the plan not done yet, in order. */
  remaining: UpdateStep[];
  /** A live process is still running it (then it is not unfinished but in progress). */
  inProgress: boolean;
  /** One line for notices and refusals. */
  text: string;
}

export function unfinishedUpdate(root: string): UnfinishedUpdate | null {
  const journal = readJournal(root);
  if (!journal || journal.status === 'done' || journal.status === 'rolled-back') return null;
  const done = new Set(journal.steps.filter((s) => s.state === 'done').map((s) => `${s.stage}:${s.id}`));
  const remaining = (journal.plan ?? []).filter((step) => !done.has(`${step.stage}:${step.id}`));
  const inProgress = updateLockHolder(root) !== null;
  const failed = journal.steps.find((s) => s.state === 'failed');
  const where = failed ? `step ${failed.id} failed` : remaining[0] ? `stopped before or during ${remaining[0].title}` : 'stopped';
  const text = inProgress
    ? `an update to ${journal.target.ref} is running (started ${journal.startedAt})`
    : `the update to ${journal.target.ref} of ${journal.startedAt} is unfinished: ${where}`;
  return { journal, remaining, inProgress, text };
}
