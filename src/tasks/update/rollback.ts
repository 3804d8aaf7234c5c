import path from 'node:path';
import { unpinBackup } from '../backup/pins.js';
import type { BackupInspection } from '../backup/inspect.js';
import { runRestore, type RestoreEvent } from '../backup/restore.js';
import { CliError, EXIT, RefusedError, UsageError } from '../errors.js';
import type { InstanceInfo } from '../instance/types.js';
import type { TaskLog } from '../task-log.js';
import { readJournal, writeJournal, type UpdateJournal } from './journal.js';
import { acquireUpdateLock } from './lock.js';
import type { PlannedCommand, StepId, UpdateStep } from './plan.js';
import { runProbe, type Probe } from './services/health.js';
import { dropNewRelations } from './relations.js';
import { checkRollback, type RollbackCheck } from './rollback-checks.js';
import { runPlannedCommand } from './run-step.js';

export type RollbackEvent =
  | { type: 'check'; check: RollbackCheck }
  | { type: 'step'; id: 'services-stop' | 'git' | 'pip' | 'restore' | 'services-start' | 'health'; title: string; state: 'running' | 'done' | 'skipped' | 'failed'; detail?: string }
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
  /** pip may install into the system's Python (no django/env). */
  systemPython?: boolean;
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
  // -B: the branch is put at the old commit even if the update left it elsewhere (or it is gone).
  return [{ file: 'git', args: ['checkout', '--force', '-B', previous.branch, previous.commit], cwd: root }];
}

const commandsOf = (step: UpdateStep): PlannedCommand[] => [step.command, ...(step.more ?? [])].filter((c): c is PlannedCommand => c !== undefined);
type Emit = (event: RollbackEvent) => void;

/** The pre-update backup over the database (with the same checks as a restore), and away what the update created. */
async function restoreDatabase(info: InstanceInfo, journal: UpdateJournal, inspection: BackupInspection | null, options: RollbackOptions, emit: Emit, said: string[]): Promise<void> {
  if (!journal.backup || !inspection) {
    said.push('database NOT restored: the update ran with --skip-backup');
    emit({ type: 'step', id: 'restore', title: 'restore', state: 'skipped', detail: 'no backup was taken' });
    return;
  }
  emit({ type: 'step', id: 'restore', title: `restore ${path.basename(journal.backup)}`, state: 'running' });
  await runRestore({
    db: info.settings.settings.database,
    file: journal.backup,
    inspection,
    currentCommit: journal.previous.commit,
    allowVersionMismatch: false,
    confirmed: true,
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
}

/** The old commit and its requirements. */
async function codeBack(info: InstanceInfo, journal: UpdateJournal, run: (command: PlannedCommand) => Promise<void>, emit: Emit, said: string[]): Promise<void> {
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
}

/**
 * Undo an update from its journal: the services stopped, the pre-update backup restored, the commit from before
 * and its requirements, the services started and their health checked. Everything it needs is checked first; a
 * failed check changes nothing. Works after the TUI was closed or the connection dropped.
 */
export async function rollbackUpdate(info: InstanceInfo, options: RollbackOptions): Promise<RollbackResult> {
  const root = info.layout.root;
  const release = acquireUpdateLock(root);
  const emit = options.onEvent ?? (() => undefined);
  const said: string[] = [];
  const run = async (command: PlannedCommand) => {
    const outcome = await runPlannedCommand(command, { log: options.log, env: options.env, onLine: (line) => emit({ type: 'output', line }) });
    if (outcome.exitCode !== 0) {
      throw new CliError(`rollback step failed: ${command.file} ${command.args.join(' ')}: ${outcome.tail.at(-1) ?? ''}`, EXIT.failed, `see ${options.log.path}`);
    }
  };
  try {
    const journal = readJournal(root);
    if (!journal) throw new UsageError(`no update journal for ${root}: nothing to roll back`);
    if (journal.status === 'rolled-back') {
      throw new UsageError(`the update of ${journal.startedAt} was already rolled back (${journal.rolledBackAt})`);
    }
    options.log.line(`rollback of the update started ${journal.startedAt} to ${journal.previous.commit}: checking first`);
    const { checks, inspection } = await checkRollback(info, journal, { systemPython: options.systemPython });
    for (const check of checks) {
      options.log.line(`${check.ok ? 'ok' : 'FAILED'}: ${check.title}${check.detail ? ` (${check.detail})` : ''}`);
      emit({ type: 'check', check });
    }
    const failed = checks.filter((c) => !c.ok);
    if (failed.length > 0) {
      throw new RefusedError(`rollback refused, nothing was changed: ${failed.map((c) => `${c.title}${c.detail ? ` (${c.detail})` : ''}`).join('; ')}`, 'fix the above, then roll back again');
    }
    if (journal.backup && !options.confirmed && !(await options.confirm?.())) {
      throw new RefusedError(`rolling back replaces everything in database ${info.settings.settings.database.name}`, 'confirm with --yes');
    }

    // The database first: when its restore fails (and it is one transaction), code and database still agree.
    const services = (id: StepId) => (journal.plan ?? []).filter((s) => s.id === id);
    const startServices = async () => {
      for (const step of services('services-start')) {
        emit({ type: 'step', id: 'services-start', title: step.title, state: 'running' });
        for (const command of commandsOf(step)) await run(command);
        said.push(`services started again: ${step.title.replace(/^start the services: /, '')}`);
        emit({ type: 'step', id: 'services-start', title: step.title, state: 'done' });
      }
    };
    for (const step of services('services-stop')) {
      emit({ type: 'step', id: 'services-stop', title: step.title, state: 'running' });
      for (const command of commandsOf(step)) await run(command);
      emit({ type: 'step', id: 'services-stop', title: step.title, state: 'done' });
    }
    let restored = false;
    try {
      await restoreDatabase(info, journal, inspection, options, emit, said);
      restored = true;
      await codeBack(info, journal, run, emit, said);
    } catch (err) {
      // Leave CATMAID running as it was found rather than down: the code and database agree unless the restore passed.
      await startServices().catch(() => undefined);
      if (err instanceof CliError) {
        throw new CliError(err.message, err.exitCode, restored ? 'the database is restored but the code is not: fix the cause, then roll back again' : 'nothing was rolled back: code and database are as the update left them');
      }
      throw err;
    }
    await startServices();
    for (const step of (journal.plan ?? []).filter((s) => s.probe && s.probe.kind !== 'maintenance')) {
      emit({ type: 'step', id: 'health', title: step.title, state: 'running' });
      const result = await runProbe(step.probe as Probe, (line) => emit({ type: 'output', line }));
      said.push(`${result.ok ? 'health ok' : 'HEALTH CHECK FAILED'}: ${result.said}`);
      emit({ type: 'step', id: 'health', title: step.title, state: result.ok ? 'done' : 'failed', detail: result.said });
    }
    journal.status = 'rolled-back';
    journal.rolledBackAt = new Date().toISOString();
    await writeJournal(journal);
    // Nothing rolls back to it any more: retention may remove it again like any other backup.
    if (journal.backup) await unpinBackup(root, journal.backup, 'update');
    said.forEach((line) => options.log.line(line));
    return { journal, commit: journal.previous.commit, restoredBackup: journal.backup, said };
  } finally {
    release();
  }
}
