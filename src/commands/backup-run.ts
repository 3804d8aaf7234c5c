import type { Command } from 'commander';
import type { BackupResult } from '../tasks/backup/backup.js';
import { copyToAll, type CopyOptions } from '../tasks/backup/copy.js';
import { parseDestination } from '../tasks/backup/copy-destination.js';
import { listBackups } from '../tasks/backup/list.js';
import { checkMailAddress, type NotifyTarget } from '../tasks/backup/notify.js';
import { recordedRun, type RunContext, type RunOutcome } from '../tasks/backup/recorded-run.js';
import { ownedBy } from '../tasks/backup/retention.js';
import type { CopyOutcome } from '../tasks/backup/runs.js';
import { ownerOf } from '../tasks/backup/status.js';
import { parseDuration } from '../tasks/backup/health.js';
import { restoreTest, type RestoreTestResult } from '../tasks/backup/restore-test.js';
import { CliError, UsageError } from '../tasks/errors.js';
import type { TaskLog } from '../tasks/task-log.js';
import { instanceOf, globalsOf } from './context.js';
import type { DatabaseSettings } from '../tasks/instance/types.js';
import type { LocatedInstance } from '../tasks/instance/index.js';

/** What a scheduled run takes besides the backup's own flags. */
export interface RunFlags {
  scheduled?: boolean;
  mailTo?: string;
  notifyCommand?: string;
  copyTo: string[];
  sshConfig?: string;
  restoreTestEvery?: string;
  restoreTestIdentity?: string;
}

/**
 * `--notify-command PROGRAM` or `--notify-command '["PROGRAM", "ARG", …]'`: a program and its arguments as an
 * array (JSON), never a line for a shell.
 */
export function notifyCommandOf(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const hint = `a program (--notify-command /usr/local/bin/page) or a JSON array of it and its arguments: '["/usr/bin/logger", "-t", "catmaid"]'`;
  if (!text.trim().startsWith('[')) {
    if (!text.startsWith('/')) throw new UsageError(`--notify-command ${text}: give the program's absolute path (cron's PATH is short)`, hint);
    return [text];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError('--notify-command: not a JSON array', hint);
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((a) => typeof a === 'string') || !String(parsed[0]).startsWith('/')) {
    throw new UsageError('--notify-command: an array of strings, the program first with its absolute path', hint);
  }
  return parsed as string[];
}

/** The notify target and copy destinations, checked before anything runs (bad ones are exit 2). */
export function runTargets(flags: RunFlags): { notify: NotifyTarget; copyTo: string[] } {
  const command = notifyCommandOf(flags.notifyCommand);
  if (flags.restoreTestEvery !== undefined && parseDuration(flags.restoreTestEvery) === null) {
    throw new UsageError(`--restore-test-every ${flags.restoreTestEvery}: not a duration`, 'e.g. 7d, 1w, 12h');
  }
  for (const destination of flags.copyTo) parseDestination(destination);
  return { notify: { ...(flags.mailTo ? { mailTo: checkMailAddress(flags.mailTo) } : {}), ...(command ? { command } : {}) }, copyTo: flags.copyTo };
}

/**
 * A backup command with its run record and, for a scheduled run, a notice of its failure. The work fills in the
 * database and the log when it knows them. A run whose backup succeeded but whose copy failed ends like a failed
 * one: recorded, notified, exit 1.
 */
export async function recordedBackup(flags: RunFlags, command: Command, work: (ctx: RunContext, located: LocatedInstance) => Promise<RunOutcome>): Promise<void> {
  const { notify } = runTargets(flags);
  const trigger = flags.scheduled ? 'scheduled' : 'manual';
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const located = await instanceOf(command).catch(async (err: unknown) => {
    // Not even an instance to record into: a scheduled run still tells someone.
    const instance = globalsOf(command).catmaidDir ?? process.env.CATMAID_DIR ?? 'unknown instance';
    await recordedRun({ root: null, instance, database: '?', trigger, notify, say }, () => Promise.reject(err)).catch(() => undefined);
    throw err;
  });
  const ctx: RunContext = { root: located.root, instance: located.name, database: '?', trigger, notify, say };
  const outcome = await recordedRun(ctx, () => work(ctx, located));
  if (outcome.problems.length) throw new CliError(outcome.problems.join('; '), 1, 'the backup itself is verified and kept');
}

/** Where a backup was made: the instance, its database, the folder. */
export interface BackupPlace {
  root: string;
  db: DatabaseSettings;
  backupDir: string;
}

/**
 * After a verified backup: copies to each destination, of this backup and of any earlier one of this instance
 * still without a verified copy there (a copy cut off last night goes on tonight).
 */
export async function copiesAfter(place: BackupPlace, result: BackupResult, copyTo: readonly string[], options: CopyOptions): Promise<CopyOutcome[]> {
  if (copyTo.length === 0) return [];
  const owner = ownerOf(place.root, place.db);
  const earlier = (await listBackups(place.backupDir)).filter((e) => e.state === 'verified' && ownedBy(e, owner) && e.path !== result.path);
  const outcomes: CopyOutcome[] = [];
  for (const destination of copyTo) {
    const text = parseDestination(destination).text;
    const pending = earlier.filter((e) => !e.manifest?.copies?.some((c) => c.destination === text)).map((e) => e.path);
    for (const dump of [result.path, ...pending]) outcomes.push(...(await copyToAll(dump, [destination], options)));
  }
  return outcomes;
}

/**
 * `--restore-test-every 7d`: after the backup, restore-test it when no backup of this instance passed a restore
 * test within that time (a scheduled nightly backup is then proven once a week).
 */
export async function restoreTestIfDue(place: BackupPlace, result: BackupResult, every: string | undefined, options: { identity?: string; log?: TaskLog; signal?: AbortSignal; say: (text: string) => void }): Promise<RestoreTestResult | null> {
  if (!every) return null;
  const ms = parseDuration(every)!;
  const owner = ownerOf(place.root, place.db);
  const recent = (await listBackups(place.backupDir)).some((e) => ownedBy(e, owner) && e.manifest?.restoreTest?.ok && Date.now() - Date.parse(e.manifest.restoreTest.at) < ms);
  if (recent) return null;
  return restoreTest({ root: place.root, db: place.db, file: result.path, identity: options.identity, log: options.log, signal: options.signal, onStep: options.say });
}

export const copyProblems = (outcomes: readonly CopyOutcome[]): string[] => outcomes.filter((o) => !o.ok).map((o) => `copy to ${o.destination} failed: ${o.detail}`);
