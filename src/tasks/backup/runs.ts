import fs from 'node:fs';
import path from 'node:path';
import { fileStamp, writeFileAtomic } from '../atomic-write.js';
import { instanceStatePath } from '../instance/identity.js';
import { processAlive } from '../process-alive.js';

/** What a copy to one destination gave (copy.ts). */
export interface CopyOutcome {
  destination: string;
  ok: boolean;
  /** Where the copy is, or why there is none. */
  detail: string;
}

/**
 * One run of a backup, recorded in the instance's state folder (`runs/`) when it starts and again when it ends, so
 * that `backups --check`, Home and the Backup screen know whether the scheduled job still works. A record left as
 * `running` by a process that is gone (kill -9, the machine went down) reads as `interrupted`.
 */
export interface BackupRun {
  id: string;
  /** `scheduled` for cron's and systemd's runs (`backup --scheduled`); `manual` for the admin's own. */
  trigger: 'scheduled' | 'manual';
  pid: number;
  startedAt: string;
  finishedAt?: string;
  result: 'running' | 'ok' | 'failed';
  /** Why it failed, in one line. */
  reason?: string;
  /** The backup it made (when it got that far). */
  file?: string;
  sizeBytes?: number;
  pruned?: string[];
  copies?: CopyOutcome[];
  restoreTest?: { ok: boolean; detail: string };
  /** Who was told of a failure: `mail to root`, `command /usr/local/bin/page`, or why nobody could be. */
  notified?: string[];
  log?: string;
}

/** A run as it reads now: a `running` record whose process is gone was cut off. */
export type RunState = BackupRun['result'] | 'interrupted';

/** How many records are kept; older ones go when a new run starts. */
export const RUNS_KEPT = 60;

const runsDir = (root: string): string => instanceStatePath(root, 'runs');
const runFile = (root: string, id: string): string => path.join(runsDir(root), `${id}.json`);

export function runState(run: BackupRun, isAlive: (pid: number) => boolean = processAlive): RunState {
  return run.result === 'running' && !isAlive(run.pid) ? 'interrupted' : run.result;
}

/** Failed, or cut off before it could say so. */
export const runFailed = (run: BackupRun, isAlive?: (pid: number) => boolean): boolean =>
  ['failed', 'interrupted'].includes(runState(run, isAlive));

/** Why a run failed, in one line, an interrupted one included. */
export function runReason(run: BackupRun, isAlive?: (pid: number) => boolean): string {
  if (runState(run, isAlive) === 'interrupted') return 'interrupted: the backup process ended without finishing (killed, or the machine went down)';
  return run.reason ?? '';
}

async function save(root: string, run: BackupRun): Promise<void> {
  await writeFileAtomic(runFile(root, run.id), `${JSON.stringify(run, null, 2)}\n`, { mode: 0o600 });
}

/** Record a run that starts now; the oldest records beyond RUNS_KEPT go. */
export async function startRun(root: string, trigger: BackupRun['trigger'], now = new Date()): Promise<BackupRun> {
  const run: BackupRun = { id: `${fileStamp(now)}-${process.pid}`, trigger, pid: process.pid, startedAt: now.toISOString(), result: 'running' };
  await save(root, run);
  const old = (await fs.promises.readdir(runsDir(root))).filter((n) => n.endsWith('.json')).sort().slice(0, -RUNS_KEPT);
  for (const name of old) await fs.promises.rm(path.join(runsDir(root), name), { force: true });
  return run;
}

/** Record how the run ended (or anything learnt on the way: copies, notifications). */
export async function updateRun(root: string, run: BackupRun, change: Partial<BackupRun>): Promise<BackupRun> {
  const next = { ...run, ...change };
  await save(root, next);
  return next;
}

function isRun(data: unknown): data is BackupRun {
  const r = data as Partial<BackupRun> | null;
  return (
    typeof r === 'object' && r !== null && typeof r.id === 'string' && typeof r.startedAt === 'string' &&
    typeof r.pid === 'number' && ['running', 'ok', 'failed'].includes(r.result as string) &&
    ['scheduled', 'manual'].includes(r.trigger as string)
  );
}

/** The recorded runs, newest first; unreadable records are left out (they are not ours to judge). */
export function readRuns(root: string): BackupRun[] {
  const dir = runsDir(root);
  const runs: BackupRun[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    try {
      const data: unknown = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
      if (isRun(data)) runs.push(data);
    } catch {
      // Written atomically: a broken record was put there by someone else.
    }
  }
  return runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
}

/**
 * The folders where this instance's newest backup may lie: the configured one, and that of its newest run that made
 * a backup, when that run wrote elsewhere (a schedule or a manual run with --out).
 */
export function backupFolders(configured: string, runs: readonly BackupRun[]): string[] {
  const file = runs.find((r) => r.result === 'ok' && r.file)?.file;
  const other = file ? path.dirname(file) : null;
  return other && path.resolve(other) !== path.resolve(configured) ? [configured, other] : [configured];
}

/** The newest run of the scheduled job, if any. */
export const lastScheduledRun = (runs: readonly BackupRun[]): BackupRun | undefined => runs.find((r) => r.trigger === 'scheduled');
