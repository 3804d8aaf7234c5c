import { execa } from 'execa';
import { libpqEnv, withClient } from '../db/connect.js';
import { CliError, RefusedError } from '../errors.js';
import type { DatabaseSettings } from '../instance/types.js';
import { pgBin } from '../pg-bin.js';
import type { TaskLog } from '../task-log.js';
import { EDGE_TABLE, runBackup, serverFacts, type BackupEvent, type GitVersion } from './backup.js';
import { emptyDerivedLine } from './derived-tables.js';
import { commitMismatch, inspectBackup, type BackupInspection } from './inspect.js';
import { progressFigures, type ProgressFigures } from './progress.js';
import { rebuildEdgeTable, type EdgeCounts } from './rebuild-derived.js';
import { loadDump } from './restore-run.js';

export type RestoreStep = 'verify' | 'safety-backup' | 'restore' | 'rebuild-edge-table';
export const RESTORE_STEPS: readonly RestoreStep[] = ['verify', 'safety-backup', 'restore', 'rebuild-edge-table'];

export type RestoreEvent =
  | { type: 'step'; step: RestoreStep; state: 'running' | 'done' | 'skipped'; detail?: string }
  | { type: 'warning'; message: string }
  | { type: 'safety-backup'; event: BackupEvent }
  /** Of the step last reported running: bytes read while verifying, bytes fed to psql, tables of pg_restore. */
  | ({ type: 'progress'; table: string | null } & ProgressFigures);

export interface RestoreOptions {
  db: DatabaseSettings;
  file: string;
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
  signal?: AbortSignal;
  onProgress?: (event: RestoreEvent) => void;
  log?: TaskLog;
}

export interface RestoreResult {
  inspection: BackupInspection;
  safetyBackup: string | null;
  edgeCounts: EdgeCounts | null;
  warnings: string[];
}

/** The administration manual's `pg_dump -T treenode_edge` leaves out the table itself; its foreign key would block dropping project. */
const DROP_EDGE_TABLE = `DROP TABLE IF EXISTS public.${EDGE_TABLE} CASCADE;\n`;

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
  if (!options.confirmed && !(await options.confirm?.())) {
    throw new RefusedError(`restoring replaces everything in database ${options.db.name}`, 'confirm with --yes');
  }
  if (jobs > 1 && inspection.format !== 'sql') warn(`with --jobs ${jobs} the restore is not one transaction: a failure leaves the database half-restored`);

  let safetyPath: string | null = null;
  if (options.safetyBackup) {
    emit({ type: 'step', step: 'safety-backup', state: 'running' });
    const safety = await runBackup({
      db: options.db,
      outDir: options.safetyBackup.outDir,
      git: options.safetyBackup.git,
      format: 'custom',
      reason: `safety backup before restoring ${inspection.path}`,
      signal: options.signal,
      log: options.log,
      onProgress: (event) => emit({ type: 'safety-backup', event }),
    });
    safetyPath = safety.path;
    emit({ type: 'step', step: 'safety-backup', state: 'done', detail: safety.path });
  } else {
    emit({ type: 'step', step: 'safety-backup', state: 'skipped', detail: '--no-safety-backup' });
  }

  emit({ type: 'step', step: 'restore', state: 'running' });
  const started = Date.now();
  let table: string | null = null;
  const seedForm = inspection.format === 'sql' && !inspection.edgeTableDefined && (await hasEdgeTable(options.db));
  if (seedForm) warn('the dump leaves out the edge table entirely (pg_dump -T): its definition is kept from the database');
  await loadDump({
    db: options.db,
    file: inspection.path,
    format: inspection.format,
    program: pgBin(inspection.format === 'sql' ? 'psql' : 'pg_restore', server.major),
    jobs: inspection.format === 'sql' ? 1 : jobs,
    sha256: inspection.sha256,
    before: seedForm ? DROP_EDGE_TABLE : undefined,
    after: seedForm ? await edgeTableDefinition(options.db, pgBin('pg_dump', server.major)) : undefined,
    signal: options.signal,
    log: options.log,
    onTable: (name) => {
      table = name;
      // pg_restore tells tables, not bytes: each new table is the news.
      if (inspection.format !== 'sql') emit({ type: 'progress', table, ...progressFigures(0, Date.now() - started, null) });
    },
    onBytes: (bytes) =>
      emit({ type: 'progress', table, ...progressFigures(bytes, Date.now() - started, inspection.sizeBytes) }),
  });
  emit({ type: 'step', step: 'restore', state: 'done', detail: `${((Date.now() - started) / 1000).toFixed(1)} s` });

  let counts: EdgeCounts | null = null;
  if (inspection.edgeDataIncluded) {
    emit({ type: 'step', step: 'rebuild-edge-table', state: 'skipped', detail: 'the dump holds the edge table' });
  } else {
    emit({ type: 'step', step: 'rebuild-edge-table', state: 'running' });
    counts = await rebuildEdgeTable({
      db: options.db,
      python: options.python,
      managePy: options.managePy,
      log: options.log,
      signal: options.signal,
    });
    emit({ type: 'step', step: 'rebuild-edge-table', state: 'done', detail: `${counts.edges} edges` });
  }
  options.log?.line(`restored ${inspection.path} into ${options.db.name}`);
  return { inspection, safetyBackup: safetyPath, edgeCounts: counts, warnings };
}

async function hasEdgeTable(db: DatabaseSettings): Promise<boolean> {
  return withClient(db, async (client) => {
    const row = (await client.query(`SELECT to_regclass('public.${EDGE_TABLE}') IS NOT NULL AS present`)).rows[0];
    return (row as { present: boolean }).present;
  });
}

/** The edge table's current definition, re-created after a dump that dropped everything it depends on. */
async function edgeTableDefinition(db: DatabaseSettings, pgDump: string): Promise<string> {
  const args = ['--schema-only', '--no-password', `--table=public.${EDGE_TABLE}`];
  const run = await execa(pgDump, args, { env: libpqEnv(db), extendEnv: false });
  return run.stdout;
}
