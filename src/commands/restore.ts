import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import type { Command } from 'commander';
import { emptyDerivedTablesOf, REBUILD_COMMAND } from '../tasks/backup/derived-tables.js';
import { countsLine, rebuildDerived, rebuildNote } from '../tasks/backup/rebuild-derived.js';
import { RestoreFailure } from '../tasks/backup/restore-failure.js';
import type { LockChoice, LockDecider } from '../tasks/backup/lock-watch.js';
import { runRestore, type RestoreEvent, type RestoreOptions, type RestoreResult } from '../tasks/backup/restore.js';
import { DEFAULT_LOCK_WAIT_MS, unattendedLockPolicy } from '../tasks/backup/restore-load.js';
import { sessionLine } from '../tasks/backup/sessions.js';
import * as say from '../tasks/backup/summary.js';
import { progressLine } from '../tasks/backup/summary.js';
import { RefusedError, UsageError } from '../tasks/errors.js';
import { confirmOrRefuse } from './confirm.js';
import { target, type Target } from './backup-target.js';
import { printJson } from './context.js';
import { interruptible, logged, statusWriter } from './task-run.js';

export interface RestoreFlags {
  yes?: boolean;
  safetyBackup: boolean;
  allowVersionMismatch?: boolean;
  jobs?: number;
  json?: boolean;
  rebuildDerived?: boolean;
  lockWait?: number;
  terminateBlockers?: boolean;
  asSuperuser?: boolean;
  globals?: string;
  identity?: string;
}

/** A bare file name that is not in the current folder is looked up in the backup folder. */
function resolveDump(file: string, backupDir: string): string {
  if (fs.existsSync(file) || path.isAbsolute(file) || file.includes('/')) return path.resolve(file);
  return path.join(backupDir, file);
}

const LOCK_CHOICES: Record<string, LockChoice> = { w: 'wait', c: 'cancel', t: 'terminate', a: 'abort' };

/** On a terminal the admin decides about a lock wait; a script gets the flags' policy. */
function lockDecider(flags: RestoreFlags): LockDecider {
  const unattended = unattendedLockPolicy((flags.lockWait ?? DEFAULT_LOCK_WAIT_MS / 1000) * 1000, flags.terminateBlockers ? 'terminate' : 'abort');
  if (flags.yes || !process.stdin.isTTY || !process.stderr.isTTY) return unattended;
  return async (_wait, over) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
    const question = '  w wait · c cancel their queries · t end their sessions · a abort the restore (rolled back) [w/c/t/a] ';
    try {
      for (;;) {
        const answer = (await rl.question(question, { signal: over })).trim().toLowerCase() || 'w';
        if (LOCK_CHOICES[answer]) return LOCK_CHOICES[answer];
      }
    } catch {
      // The load ended (the lock came free) while the question was open: it is moot.
      return 'wait';
    } finally {
      rl.close();
    }
  };
}

/** The restore's own lines that must reach the admin even with --json: who is connected, who holds a lock. */
function sessionLines(event: RestoreEvent, database: string): string | null {
  if (event.type === 'sessions') {
    if (event.sessions.length === 0) return `no other sessions are connected to ${database}`;
    return [`${event.sessions.length} other session${event.sessions.length === 1 ? ' is' : 's are'} connected to ${database}:`, ...event.sessions.map((x) => `  ${sessionLine(x)}`)].join('\n');
  }
  if (event.type === 'lock-wait') return `waiting for a lock held by ${event.wait.blockers.map(sessionLine).join('; ')}`;
  return null;
}

async function askDatabaseName(name: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(`This replaces all data in database ${name}. Type its name to go on: `)).trim() === name;
  } finally {
    rl.close();
  }
}

export async function restoreAction(file: string | undefined, flags: RestoreFlags, command: Command): Promise<void> {
  if (flags.rebuildDerived) {
    if (file) throw new UsageError('--rebuild-derived takes no backup file', 'a restore rebuilds them itself; alone: catmaid-tui restore --rebuild-derived');
    await rebuildAction(await target(command), flags);
    return;
  }
  if (!file) throw new UsageError('which backup? restore needs a FILE', 'list them with: catmaid-tui backups');
  const t = await target(command);
  const db = t.info.settings.settings.database;
  const status = statusWriter(flags.json === true);
  await logged('restore', db.password, async (log) => {
    const result = await interruptible((signal) =>
      restoreOrExplain({
        db,
        file: resolveDump(file, t.backupDir),
        root: t.located.root,
        currentCommit: t.git.commit,
        allowVersionMismatch: flags.allowVersionMismatch === true,
        confirmed: flags.yes === true,
        confirm: () => askDatabaseName(db.name),
        safetyBackup: flags.safetyBackup ? { outDir: t.backupDir, git: t.git } : false,
        python: t.info.layout.python,
        managePy: t.info.layout.managePy,
        djangoWorks: t.info.settings.source === 'django',
        asSuperuser: flags.asSuperuser === true,
        globals: flags.globals,
        identity: flags.identity,
        jobs: flags.jobs,
        onLockWait: lockDecider(flags),
        signal,
        log,
        onProgress: (event) => {
          if (event.type === 'sessions' || event.type === 'lock-wait') status.warn(sessionLines(event, db.name));
          else if (event.type === 'progress') status.progress(progressLine(event));
          else if (event.type === 'safety-backup' && event.event.type === 'progress') status.progress(progressLine(event.event));
          else if (event.type !== 'safety-backup') status.line(say.restoreEventLine(event));
        },
      }),
    );
    if (flags.json) printJson(result);
    else process.stdout.write(`${say.restoredLines(result, db.name).join('\n')}\n`);
  });
}

/** A failed restore's objects, one line each, before the one-line error that says the database is unchanged. */
async function restoreOrExplain(options: RestoreOptions): Promise<RestoreResult> {
  try {
    return await runRestore(options);
  } catch (err) {
    if (err instanceof RestoreFailure) process.stderr.write(`${err.lines().join('\n')}\n`);
    throw err;
  }
}

/** `restore --rebuild-derived`: only the rebuild a restore ends with, e.g. after one was cut off before it. */
async function rebuildAction(t: Target, flags: Pick<RestoreFlags, 'yes' | 'json'>, known?: readonly string[]): Promise<void> {
  const db = t.info.settings.settings.database;
  const empty = known ?? (await emptyDerivedTablesOf(db));
  await confirmOrRefuse(
    `Rebuild CATMAID's derived tables (edges, connector points) of database ${db.name}${empty.length ? ` (empty now: ${empty.join(', ')})` : ''}?`,
    flags.yes,
  );
  await logged('rebuild-derived', db.password, async (log) => {
    const result = await interruptible((signal) =>
      rebuildDerived({
        db,
        python: t.info.layout.python,
        managePy: t.info.layout.managePy,
        djangoWorks: t.info.settings.source === 'django',
        log,
        signal,
      }),
    );
    if (flags.json) printJson({ rebuilt: result });
    else process.stdout.write(`rebuilt (${result.via}): ${countsLine(result.counts)}${rebuildNote(result) ? `\n${rebuildNote(result)}` : ''}\n`);
  });
}

/** After a backup that found them empty: on a terminal, offer the rebuild at once (no is a fine answer). */
export async function offerRebuild(t: Target, empty: readonly string[]): Promise<void> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return;
  try {
    await rebuildAction(t, {}, empty);
  } catch (err) {
    if (!(err instanceof RefusedError)) throw err;
    process.stderr.write(`not rebuilt; later: ${REBUILD_COMMAND}\n`);
  }
}
