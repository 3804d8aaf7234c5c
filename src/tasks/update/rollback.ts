import path from 'node:path';
import { runRestore, type RestoreEvent } from '../backup/restore.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import type { InstanceInfo } from '../instance/types.js';
import type { TaskLog } from '../task-log.js';
import { readJournal, writeJournal, acquireUpdateLock, type UpdateJournal } from './journal.js';
import type { PlannedCommand } from './plan.js';
import { dropNewRelations } from './relations.js';
import { runPlannedCommand } from './run-step.js';

export type RollbackEvent =
  | { type: 'step'; id: 'git' | 'pip' | 'restore'; title: string; state: 'running' | 'done' | 'skipped'; detail?: string }
  | { type: 'output'; line: string }
  | { type: 'restore'; event: RestoreEvent };

export interface RollbackOptions {
  log: TaskLog;
  /** --yes, or the screen's typed confirmation done beforehand. */
  confirmed: boolean;
  /** Asked before the database is replaced, when not confirmed beforehand. */
  confirm?: () => Promise<boolean>;
  onEvent?: (event: RollbackEvent) => void;
  env?: NodeJS.ProcessEnv;
}

export interface RollbackResult {
  journal: UpdateJournal;
  commit: string;
  restoredBackup: string | null;
  said: string[];
}

/** The commands that put the code back: the branch (if any) at its old commit, or the old commit detached. */
export function gitRollbackCommands(root: string, previous: UpdateJournal['previous']): PlannedCommand[] {
  if (!previous.branch) return [{ file: 'git', args: ['checkout', '--force', '--detach', previous.commit], cwd: root }];
  return [
    { file: 'git', args: ['checkout', '--force', previous.branch], cwd: root },
    { file: 'git', args: ['reset', '--hard', previous.commit], cwd: root },
  ];
}

/**
 * Undo an update from its journal: the commit from before, its requirements, and the pre-update backup (with
 * the same checks and confirmation as a restore). Works after the TUI was closed or the connection dropped.
 */
export async function rollbackUpdate(info: InstanceInfo, options: RollbackOptions): Promise<RollbackResult> {
  const journal = readJournal(info.layout.root);
  if (!journal) throw new UsageError(`no update journal for ${info.layout.root}: nothing to roll back`);
  if (journal.status === 'rolled-back') {
    throw new UsageError(`the update of ${journal.startedAt} was already rolled back (${journal.rolledBackAt})`);
  }
  const release = acquireUpdateLock(info.layout.root);
  const emit = options.onEvent ?? (() => undefined);
  const said: string[] = [];
  const run = async (command: PlannedCommand) => {
    const outcome = await runPlannedCommand(command, { log: options.log, env: options.env, onLine: (line) => emit({ type: 'output', line }) });
    if (outcome.exitCode !== 0) {
      throw new CliError(`rollback step failed: ${command.file} ${command.args.join(' ')}: ${outcome.tail.at(-1) ?? ''}`, EXIT.failed, `see ${options.log.path}`);
    }
  };
  try {
    options.log.line(`rollback of the update started ${journal.startedAt} to ${journal.previous.commit}`);
    emit({ type: 'step', id: 'git', title: `git back to ${journal.previous.commit.slice(0, 7)}`, state: 'running' });
    for (const command of gitRollbackCommands(info.layout.root, journal.previous)) await run(command);
    said.push(`code back at ${journal.previous.describe ?? journal.previous.commit} (${journal.previous.branch ?? 'detached'})`);
    emit({ type: 'step', id: 'git', title: 'git', state: 'done' });

    emit({ type: 'step', id: 'pip', title: 'pip install -r requirements.txt', state: 'running' });
    await run({
      file: info.layout.python,
      args: ['-m', 'pip', 'install', '--disable-pip-version-check', '-r', path.join(info.layout.djangoDir, 'requirements.txt')],
      cwd: info.layout.root,
    });
    said.push('requirements of that commit reinstalled');
    emit({ type: 'step', id: 'pip', title: 'pip', state: 'done' });

    if (journal.backup) {
      emit({ type: 'step', id: 'restore', title: `restore ${path.basename(journal.backup)}`, state: 'running' });
      await runRestore({
        db: info.settings.settings.database,
        file: journal.backup,
        currentCommit: journal.previous.commit,
        allowVersionMismatch: false,
        confirmed: options.confirmed,
        confirm: options.confirm,
        // The half-updated database is what is being thrown away; the pre-update backup is kept as it was.
        safetyBackup: false,
        python: info.layout.python,
        managePy: info.layout.managePy,
        log: options.log,
        onProgress: (event) => emit({ type: 'restore', event }),
      });
      said.push(`database restored from ${journal.backup}`);
      const dropped = journal.relations ? await dropNewRelations(info.settings.settings.database, journal.relations) : [];
      if (dropped.length > 0) said.push(`dropped what the update had created: ${dropped.join(', ')}`);
      emit({ type: 'step', id: 'restore', title: 'restore', state: 'done' });
    } else {
      said.push('database NOT restored: the update ran with --skip-backup');
      emit({ type: 'step', id: 'restore', title: 'restore', state: 'skipped', detail: 'no backup was taken' });
    }
    journal.status = 'rolled-back';
    journal.rolledBackAt = new Date().toISOString();
    await writeJournal(journal);
    said.forEach((line) => options.log.line(line));
    return { journal, commit: journal.previous.commit, restoredBackup: journal.backup, said };
  } finally {
    release();
  }
}
