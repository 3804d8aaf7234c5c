import { oneLine } from '../errors.js';
import type { TaskLog } from '../task-log.js';
import { notifyFailure, type NotifyTarget } from './notify.js';
import { startRun, updateRun, type BackupRun } from './runs.js';

/** What a backup run made, and what went wrong after the backup itself succeeded (a copy, a restore test). */
export interface RunOutcome {
  file?: string;
  sizeBytes?: number;
  pruned?: string[];
  copies?: BackupRun['copies'];
  restoreTest?: BackupRun['restoreTest'];
  /** Failures after a verified backup: reported like a failed backup (recorded, notified, exit 1). */
  problems: string[];
}

export interface RunContext {
  /** The instance's root; null when it could not even be found (nothing to record into, still notified). */
  root: string | null;
  instance: string;
  database: string;
  trigger: BackupRun['trigger'];
  /** Scheduled runs tell of a failure (notify.ts); the admin's own runs say it on the terminal. */
  notify?: NotifyTarget;
  log?: TaskLog;
  /** Said to the admin/cron besides the log: who was notified. */
  say?: (line: string) => void;
}

/**
 * Run a backup with its run record: `running` when it starts, `ok` or `failed` (with the reason) when it ends, and
 * a failure of a scheduled run notified. The record and the notice never mask the failure itself.
 */
export async function recordedRun<T extends RunOutcome>(ctx: RunContext, work: () => Promise<T>): Promise<T> {
  const started = new Date();
  const run = ctx.root ? await startRun(ctx.root, ctx.trigger, started).catch(() => null) : null;
  let outcome: T | undefined;
  let reason: string | null = null;
  try {
    outcome = await work();
    if (outcome.problems.length) reason = outcome.problems.join('; ');
    return outcome;
  } catch (err) {
    reason = oneLine(err);
    throw err;
  } finally {
    const done = {
      finishedAt: new Date().toISOString(),
      result: reason === null ? ('ok' as const) : ('failed' as const),
      ...(reason !== null ? { reason } : {}),
      ...(outcome ? { file: outcome.file, sizeBytes: outcome.sizeBytes, pruned: outcome.pruned, copies: outcome.copies, restoreTest: outcome.restoreTest } : {}),
      ...(ctx.log ? { log: ctx.log.path } : {}),
    };
    const notified = reason !== null && ctx.trigger === 'scheduled' ? await tell(ctx, reason, started, outcome?.file) : undefined;
    if (run && ctx.root) await updateRun(ctx.root, run, { ...done, ...(notified ? { notified } : {}) }).catch(() => undefined);
  }
}

async function tell(ctx: RunContext, reason: string, startedAt: Date, file?: string): Promise<string[]> {
  const said = await notifyFailure(
    { instance: ctx.instance, root: ctx.root ?? ctx.instance, database: ctx.database, reason, startedAt, finishedAt: new Date(), file, log: ctx.log?.path },
    ctx.notify ?? {},
  );
  for (const line of said) {
    ctx.log?.line(`notified: ${line}`);
    ctx.say?.(`notified: ${line}`);
  }
  return said;
}
