import path from 'node:path';
import { CliError, RefusedError } from '../errors.js';
import type { DatabaseSettings } from '../instance/types.js';
import { pgBin } from '../pg-bin.js';
import type { TaskLog } from '../task-log.js';
import { runBackup, serverFacts, type BackupEvent, type GitVersion } from './backup.js';
import { emptyDerivedLine } from './derived-tables.js';
import { commitMismatch, inspectBackup, type BackupInspection } from './inspect.js';
import { progressFigures, type ProgressFigures } from './progress.js';
import type { Session } from '../monitor/types.js';
import type { LockDecider, LockWait } from './lock-watch.js';
import type { EdgeCounts } from './rebuild-derived.js';
import { pinBackup, pinnedBackups, unpinBackup } from './pins.js';
import { loadStep, rebuildStep } from './restore-load.js';
import { otherSessions } from './sessions.js';

export type RestoreStep = 'verify' | 'safety-backup' | 'restore' | 'rebuild-edge-table';
export const RESTORE_STEPS: readonly RestoreStep[] = ['verify', 'safety-backup', 'restore', 'rebuild-edge-table'];

export type RestoreEvent =
  | { type: 'step'; step: RestoreStep; state: 'running' | 'done' | 'skipped'; detail?: string }
  | { type: 'warning'; message: string }
  | { type: 'safety-backup'; event: BackupEvent }
  /** Who else is connected to the database, before anything is changed (shown before the confirmation). */
  | { type: 'sessions'; sessions: Session[] }
  /** The load waits for a lock: who holds it. */
  | { type: 'lock-wait'; wait: LockWait }
  /** Of the step last reported running: bytes read while verifying, bytes fed to psql, tables of pg_restore. */
  | ({ type: 'progress'; table: string | null } & ProgressFigures);

export interface RestoreOptions {
  db: DatabaseSettings;
  file: string;
  /**
   * The instance's root: while the restore runs its source is pinned (kind `restore`), and its safety backup is
   * recorded as this instance's and pinned (kind `safety`) until the next restore's replaces it.
   */
  root?: string;
  /** From an earlier `inspectBackup` (the screen shows it before asking); read again when absent. */
  inspection?: BackupInspection;
  currentCommit: string | null;
  allowVersionMismatch: boolean;
  /** --yes: confirmed beforehand. */
  confirmed: boolean;
  /** Asked after the checks, when not confirmed beforehand (the screen's or terminal's typed database name). */
  confirm?: () => Promise<boolean>;
  /** Where the safety backup goes and the version it records; false skips it (--no-safety-backup). */
  safetyBackup: false | { outDir: string; git: GitVersion };
  python: string;
  managePy: string;
  jobs?: number;
  /** Asked when the load waits for a lock (once per set of blockers); without it: wait `lockWaitMs`, then abort. */
  onLockWait?: LockDecider;
  lockWaitMs?: number;
  signal?: AbortSignal;
  onProgress?: (event: RestoreEvent) => void;
  log?: TaskLog;
}

export interface RestoreResult {
  inspection: BackupInspection;
  safetyBackup: string | null;
  edgeCounts: EdgeCounts | null;
  warnings: string[];
  /** The other sessions of the database when the restore started. */
  sessions: Session[];
}


/**
 * Restore a dump over the instance's database: verify, check the code version, take a safety backup, load in one
 * transaction, rebuild the edge table when its rows were left out. Nothing is touched before the checks passed.
 */
export async function runRestore(options: RestoreOptions): Promise<RestoreResult> {
  const emit = options.onProgress ?? (() => undefined);
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    options.log?.line(`warning: ${message}`);
    emit({ type: 'warning', message });
  };
  const jobs = options.jobs ?? 1;
  const server = await serverFacts(options.db);
  if (server.emptyDerived.length) warn(`${emptyDerivedLine(server.emptyDerived)}; this restore rebuilds them`);

  emit({ type: 'step', step: 'verify', state: 'running' });
  const verifyStart = Date.now();
  const inspection =
    options.inspection ??
    (await inspectBackup(options.file, pgBin('pg_restore', server.major), (bytes) =>
      emit({ type: 'progress', table: null, ...progressFigures(bytes, Date.now() - verifyStart, null) }),
    ));
  if (inspection.problems.length > 0) {
    throw new CliError(`${inspection.path} failed verification: ${inspection.problems.join('; ')}; the database was not touched`, 1);
  }
  emit({ type: 'step', step: 'verify', state: 'done', detail: `sha256 ${inspection.sha256.slice(0, 12)}…` });
  if (!inspection.manifest) warn('no manifest next to the dump: its code version and contents are unchecked');
  if (commitMismatch(inspection.backupCommit, options.currentCommit)) {
    const message = `the backup was made at commit ${inspection.backupCommit} but the instance is at ${options.currentCommit}: migrations may not match`;
    if (!options.allowVersionMismatch) throw new RefusedError(message, 'pass --allow-version-mismatch to restore anyway');
    warn(message);
  }
  const sessions = await otherSessions(options.db);
  emit({ type: 'sessions', sessions });
  if (!options.confirmed && !(await options.confirm?.())) {
    throw new RefusedError(`restoring replaces everything in database ${options.db.name}`, 'confirm with --yes');
  }
  if (jobs > 1 && inspection.format !== 'sql') warn(`with --jobs ${jobs} the restore is not one transaction: a failure leaves the database half-restored`);

  if (options.root) await pinBackup(options.root, inspection.path, 'restore', `source of the restore into ${options.db.name} started ${new Date().toLocaleString()}`);
  try {
    const safetyPath = options.safetyBackup ? await takeSafetyBackup(options, options.safetyBackup, inspection.path, emit) : null;
    if (!options.safetyBackup) emit({ type: 'step', step: 'safety-backup', state: 'skipped', detail: '--no-safety-backup' });

    emit({ type: 'step', step: 'restore', state: 'running' });
    const started = Date.now();
    await loadStep(options, inspection, server.major, { emit, warn });
    emit({ type: 'step', step: 'restore', state: 'done', detail: `${((Date.now() - started) / 1000).toFixed(1)} s` });

    let counts: EdgeCounts | null = null;
    if (inspection.edgeDataIncluded) {
      emit({ type: 'step', step: 'rebuild-edge-table', state: 'skipped', detail: 'the dump holds the edge table' });
    } else {
      emit({ type: 'step', step: 'rebuild-edge-table', state: 'running' });
      counts = await rebuildStep(options);
      emit({ type: 'step', step: 'rebuild-edge-table', state: 'done', detail: `${counts.edges} edges` });
    }
    options.log?.line(`restored ${inspection.path} into ${options.db.name}`);
    return { inspection, safetyBackup: safetyPath, edgeCounts: counts, warnings, sessions };
  } finally {
    if (options.root) await unpinBackup(options.root, inspection.path, 'restore');
  }
}

/**
 * A backup of the database as it is, marked `safety` in its manifest, pinned as the instance's latest safety
 * backup (the previous one's pin goes: `--keep` counts safety backups apart from the admin's own).
 */
async function takeSafetyBackup(
  options: RestoreOptions,
  where: { outDir: string; git: GitVersion },
  source: string,
  emit: (event: RestoreEvent) => void,
): Promise<string> {
  emit({ type: 'step', step: 'safety-backup', state: 'running' });
  const reason = `taken before restore of ${path.basename(source)}`;
  const safety = await runBackup({
    db: options.db,
    outDir: where.outDir,
    git: where.git,
    root: options.root,
    kind: 'safety',
    format: 'custom',
    reason,
    signal: options.signal,
    log: options.log,
    onProgress: (event) => emit({ type: 'safety-backup', event }),
  });
  if (options.root) {
    for (const pin of pinnedBackups(options.root).filter((p) => p.kind === 'safety')) await unpinBackup(options.root, pin.path, 'safety');
    await pinBackup(options.root, safety.path, 'safety', `safety backup ${reason}, ${new Date().toLocaleString()}`);
  }
  emit({ type: 'step', step: 'safety-backup', state: 'done', detail: safety.path });
  return safety.path;
}

