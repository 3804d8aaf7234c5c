import os from 'node:os';
import { runBackup, type BackupEvent } from '../backup/backup.js';
import { pinBackup, unpinBackup } from '../backup/pins.js';
import { CliError, EXIT, RefusedError } from '../errors.js';
import { describeRevision } from '../instance/git.js';
import type { InstanceInfo } from '../instance/types.js';
import type { TaskLog } from '../task-log.js';
import { readJournal, unfinishedUpdate, writeJournal, type UpdateJournal } from './journal.js';
import { acquireUpdateLock } from './lock.js';
import type { UpdateStep } from './plan.js';
import type { UpdatePreview } from './preflight.js';
import { listRelations } from './relations.js';
import { restartHint } from './restart-hint.js';
import { appliedMigrations, runPlannedCommand } from './run-step.js';
import { runProbe } from './services/health.js';

export type UpdateEvent =
  | { type: 'backup'; event: BackupEvent }
  | { type: 'backup-skipped' }
  | { type: 'step'; index: number; step: UpdateStep; state: 'running' | 'done' | 'failed'; seconds?: number }
  | { type: 'output'; index: number; line: string };

export interface UpdateSummary {
  from: string;
  to: string;
  commit: string;
  migrations: string[];
  backup: string | null;
  restart: string[];
  logFile: string;
}

/** A step failed: the journal says so and `update --rollback` can undo what was done. */
export class UpdateStepError extends CliError {
  constructor(
    readonly step: UpdateStep,
    readonly index: number,
    readonly tail: string[],
    readonly journal: UpdateJournal,
  ) {
    super(step.probe ? `health check failed: ${step.title}: ${tail.at(-1) ?? ''}` : `step failed: ${step.title} (exit code shown in the log ${journal.logFile})`, EXIT.failed, `roll back with: catmaid-tui -C ${journal.root} update --rollback (or fix the cause and: update --resume)`);
  }
}

export interface RunUpdateOptions {
  backupDir: string;
  log: TaskLog;
  onEvent?: (event: UpdateEvent) => void;
  /** Start again at this step of an earlier failed run (retry); the backup and lock of that run still count. */
  fromStep?: number;
  /** The journal of the run being retried or resumed. */
  journal?: UpdateJournal;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

const PIN_KIND = 'update';
const pinReason = (journal: UpdateJournal): string => `pre-update backup of the update to ${journal.target.ref} started ${journal.startedAt}`;

/**
 * The pre-update backup stays pinned (retention never removes it) while the journal can roll back to it; a new
 * journal replaces the old one, so the old one's backup is unpinned then (and after its rollback).
 */
async function unpinReplaced(root: string): Promise<void> {
  const old = readJournal(root);
  if (old?.backup) await unpinBackup(root, old.backup, PIN_KIND);
}

/** What the runner needs of a pre-flight: where from, where to, the steps (a resumed update has only these). */
export type RunnablePlan = Pick<UpdatePreview, 'current' | 'target' | 'steps'>;

function newJournal(info: InstanceInfo, preview: RunnablePlan, log: TaskLog): UpdateJournal {
  return {
    root: info.layout.root,
    startedAt: new Date().toISOString(),
    pid: process.pid,
    user: os.userInfo().username,
    previous: { commit: preview.current.commit, branch: preview.current.branch, describe: preview.current.describe },
    target: { ref: preview.target.ref, kind: preview.target.kind, commit: preview.target.commit },
    backup: null,
    logFile: log.path,
    plan: preview.steps,
    steps: [],
    status: 'running',
  };
}

interface StepRun {
  ok: boolean;
  seconds: number;
  tail: string[];
  lines: string[];
}

async function backupStep(info: InstanceInfo, preview: RunnablePlan, journal: UpdateJournal, options: RunUpdateOptions, emit: (e: UpdateEvent) => void): Promise<void> {
  const backup = await runBackup({
    db: info.settings.settings.database,
    outDir: options.backupDir,
    git: { commit: preview.current.commit, shortCommit: preview.current.shortCommit, describe: preview.current.describe },
    reason: `before update to ${preview.target.ref}`,
    log: options.log,
    onProgress: (event) => emit({ type: 'backup', event }),
  });
  journal.backup = backup.path;
  await pinBackup(journal.root, backup.path, PIN_KIND, pinReason(journal));
  journal.relations = (await listRelations(info.settings.settings.database)).map(({ schema, name }) => ({ schema, name }));
}

/** One step: its commands in order (the first failing one ends it), or its probe until it passes or times out. */
async function runStep(step: UpdateStep, index: number, options: RunUpdateOptions, emit: (e: UpdateEvent) => void): Promise<StepRun> {
  const started = Date.now();
  const lines: string[] = [];
  const onLine = (line: string) => {
    lines.push(line);
    emit({ type: 'output', index, line });
  };
  if (step.probe) {
    const result = await runProbe(step.probe, (line) => {
      options.log.line(`  ${line}`);
      onLine(line);
    }, options.signal);
    return { ok: result.ok, seconds: (Date.now() - started) / 1000, tail: lines.slice(-15), lines };
  }
  for (const command of [step.command, ...(step.more ?? [])].filter((c): c is NonNullable<typeof c> => c !== undefined)) {
    const outcome = await runPlannedCommand(command, { log: options.log, env: options.env, signal: options.signal, onLine });
    if (outcome.exitCode !== 0) return { ok: false, seconds: (Date.now() - started) / 1000, tail: outcome.tail, lines };
  }
  return { ok: true, seconds: (Date.now() - started) / 1000, tail: lines.slice(-15), lines };
}

/** Lock, journal, then each step in order (the backup is one); stops at the first failing step. */
export async function runUpdate(info: InstanceInfo, preview: RunnablePlan, options: RunUpdateOptions): Promise<UpdateSummary> {
  const emit = options.onEvent ?? (() => undefined);
  const root = info.layout.root;
  const release = acquireUpdateLock(root);
  try {
    const open = unfinishedUpdate(root);
    if (open && open.journal.startedAt !== options.journal?.startedAt) {
      throw new RefusedError(open.text, `resume it: catmaid-tui -C ${root} update --resume · or roll it back: update --rollback`);
    }
    if (!options.journal) await unpinReplaced(root);
    const journal: UpdateJournal = options.journal ?? newJournal(info, preview, options.log);
    journal.status = 'running';
    journal.pid = process.pid;
    await writeJournal(journal);
    if (!options.journal && !preview.steps.some((s) => s.id === 'backup')) {
      options.log.line('NO BACKUP: --skip-backup');
      emit({ type: 'backup-skipped' });
    }

    const migrations: string[] = [];
    for (let index = options.fromStep ?? 0; index < preview.steps.length; index += 1) {
      const step = preview.steps[index];
      emit({ type: 'step', index, step, state: 'running' });
      options.log.line(`step ${index + 1}/${preview.steps.length}: ${step.title}`);
      let run: StepRun;
      if (step.id === 'backup') {
        const started = Date.now();
        await backupStep(info, preview, journal, options, emit);
        run = { ok: true, seconds: (Date.now() - started) / 1000, tail: [], lines: [] };
      } else run = await runStep(step, index, options, emit);
      if (step.id === 'migrate') migrations.push(...appliedMigrations(run.lines));
      journal.steps = [...journal.steps.filter((s) => !(s.id === step.id && s.stage === step.stage)), { id: step.id, stage: step.stage, state: run.ok ? 'done' : 'failed', seconds: run.seconds }];
      if (!run.ok) {
        journal.status = 'failed';
        await writeJournal(journal);
        emit({ type: 'step', index, step, state: 'failed', seconds: run.seconds });
        throw new UpdateStepError(step, index, run.tail, journal);
      }
      await writeJournal(journal);
      emit({ type: 'step', index, step, state: 'done', seconds: run.seconds });
    }
    journal.status = 'done';
    await writeJournal(journal);
    const started = preview.steps.some((s) => s.id === 'services-start');
    return {
      from: preview.current.describe ?? preview.current.shortCommit,
      to: (await describeRevision(root)) ?? preview.target.ref,
      commit: preview.target.commit,
      migrations,
      backup: journal.backup,
      restart: started ? [] : restartHint(root, info.servers),
      logFile: options.log.path,
    };
  } finally {
    release();
  }
}
