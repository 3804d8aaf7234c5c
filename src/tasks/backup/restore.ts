import path from 'node:path';
import { withClient } from '../db/connect.js';
import { CliError, oneLine, RefusedError, UsageError } from '../errors.js';
import { checkIdentity } from './age.js';
import { pgBin } from '../pg-bin.js';
import { runBackup, serverFacts, type GitVersion, type ServerFacts } from './backup.js';
import { emptyDerivedLine, emptyDerivedTablesOf } from './derived-tables.js';
import { clusterGaps, fillGaps, type ClusterGaps } from './globals.js';
import { commitMismatch, inspectBackup, type BackupInspection } from './inspect.js';
import { pinBackup, pinnedBackups, unpinBackup } from './pins.js';
import { progressFigures } from './progress.js';
import { loadStep, rebuildStep, type LoadMode } from './restore-load.js';
import type { RestoreEvent, RestoreOptions, RestoreResult } from './restore-types.js';
import { roleRestorePlan } from './role-restore.js';
import { otherSessions } from './sessions.js';
import { findSuperuser, superuserSql, type Superuser } from './superuser.js';

export { RESTORE_STEPS, type RestoreEvent, type RestoreOptions, type RestoreResult, type RestoreStep } from './restore-types.js';

/** The server as the role sees it, or — as the superuser in a cluster that lacks the role or the database — as it. */
async function reachServer(options: RestoreOptions, su: Superuser | null): Promise<{ server: ServerFacts; gaps: ClusterGaps | null }> {
  try {
    return { server: await serverFacts(options.db), gaps: null };
  } catch (err) {
    if (!su) throw err;
    const psql = pgBin('psql');
    const gaps = await clusterGaps(su, psql, options.db);
    if (!gaps.role && !gaps.database) throw err;
    const num = Number((await superuserSql(su, psql, 'SHOW server_version_num;')).trim());
    return { server: { version: String(num), major: Math.floor(num / 10000), sizeBytes: 0, derivedTables: [] }, gaps };
  }
}

/**
 * Restore a dump over the instance's database: verify, check the code version, show who is connected, take a
 * safety backup, load in one transaction (as the CATMAID role, leaving out what only the extension's owner may
 * touch; or as the superuser), rebuild the derived tables when their rows were left out. Nothing is touched
 * before the checks passed and the admin confirmed.
 */
export async function runRestore(options: RestoreOptions): Promise<RestoreResult> {
  const emit = options.onProgress ?? (() => undefined);
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    options.log?.line(`warning: ${message}`);
    emit({ type: 'warning', message });
  };
  const su = options.asSuperuser ? await findSuperuser(options.db) : null;
  const { server, gaps } = await reachServer(options, su);
  const empty = gaps ? [] : await emptyDerivedTablesOf(options.db);
  if (empty.length) warn(`${emptyDerivedLine(empty)}; this restore rebuilds them`);

  emit({ type: 'step', step: 'verify', state: 'running' });
  const verifyStart = Date.now();
  const inspection =
    options.inspection ??
    (await inspectBackup(options.file, pgBin('pg_restore', server.major), (bytes) =>
      emit({ type: 'progress', table: null, ...progressFigures(bytes, Date.now() - verifyStart, null) }),
    options.identity && checkIdentity(options.identity)));
  if (inspection.encrypted && !inspection.decrypt && !options.identity) {
    throw new UsageError(`${inspection.path} is encrypted (age); the database was not touched`, 'give the identity (private key) file: --identity FILE');
  }
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
  // As the role, what it may not do is settled before anything changes (an extension it cannot create).
  const plan = su ? null : await withClient(options.db, (client) => roleRestorePlan(client, inspection.extensions, options.db.name));
  const sessions = gaps?.database ? [] : await otherSessions(options.db);
  emit({ type: 'sessions', sessions });
  if (!options.confirmed && !(await options.confirm?.())) {
    throw new RefusedError(`restoring replaces everything in database ${options.db.name}`, 'confirm with --yes');
  }
  const jobs = options.jobs ?? 1;
  if (jobs > 1 && inspection.format !== 'sql') warn(`with --jobs ${jobs} the restore is not one transaction: a failure leaves the database half-restored`);
  const prepared = su && gaps ? await fillGaps(su, pgBin('psql', server.major), options.db, gaps, globalsFile(options, inspection)) : [];
  for (const line of prepared) options.log?.line(line);

  if (options.root) await pinBackup(options.root, inspection.path, 'restore', `source of the restore into ${options.db.name} started ${new Date().toLocaleString()}`);
  try {
    // A database that was just created holds nothing worth a safety backup.
    const safetyPath = options.safetyBackup && !gaps?.database ? await takeSafetyBackup(options, options.safetyBackup, inspection.path, emit) : null;
    if (!safetyPath) emit({ type: 'step', step: 'safety-backup', state: 'skipped', detail: options.safetyBackup ? 'the database is new' : '--no-safety-backup' });

    emit({ type: 'step', step: 'restore', state: 'running' });
    const started = Date.now();
    const mode: LoadMode = su ? { superuser: su } : { plan: plan! };
    const leftOut = await loadStep(options, inspection, server.major, mode, { emit, warn });
    if (leftOut.length) options.log?.line(`left out as ${options.db.user}: ${leftOut.join('; ')}`);
    emit({ type: 'step', step: 'restore', state: 'done', detail: `${((Date.now() - started) / 1000).toFixed(1)} s` });

    let derived = null;
    if (inspection.derivedIncluded) {
      emit({ type: 'step', step: 'rebuild-derived', state: 'skipped', detail: 'the dump holds their rows' });
    } else {
      emit({ type: 'step', step: 'rebuild-derived', state: 'running' });
      derived = await rebuildStep(options).catch((err: unknown) => {
        throw new CliError(`the data is restored, but rebuilding the derived tables failed: ${oneLine(err)}`, 1, 'catmaid-tui restore --rebuild-derived');
      });
      if (derived.via === 'sql') warn(`derived tables rebuilt in SQL (${derived.why})${derived.leftEmpty.length ? `; ${derived.leftEmpty.join(', ')} stay empty until manage.py catmaid_rebuild_all_materializations runs` : ''}`);
      emit({ type: 'step', step: 'rebuild-derived', state: 'done', detail: `${derived.via}, rows ${derived.counts.map((c) => c.rows).join(' · ')}` });
    }
    options.log?.line(`restored ${inspection.path} into ${options.db.name}`);
    return { inspection, safetyBackup: safetyPath, derived, leftOut, prepared, warnings, sessions };
  } finally {
    if (options.root) await unpinBackup(options.root, inspection.path, 'restore');
  }
}

/** The globals file: named by the admin, else the one the dump's manifest records next to it. */
function globalsFile(options: RestoreOptions, inspection: BackupInspection): string | null {
  if (options.globals) return path.resolve(options.globals);
  const name = inspection.manifest?.globals?.file;
  return name ? path.join(path.dirname(inspection.path), name) : null;
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
