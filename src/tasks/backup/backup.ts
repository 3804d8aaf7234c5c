import path from 'node:path';
import { execa } from 'execa';
import { CliError, oneLine, UsageError } from '../errors.js';
import { databaseKey, instanceKey } from '../instance/identity.js';
import type { DatabaseSettings } from '../instance/types.js';
import { pgBin } from '../pg-bin.js';
import type { TaskLog } from '../task-log.js';
import { emptyDerivedLine, emptyDerivedTablesOf, REBUILD_COMMAND } from './derived-tables.js';
import { serverFacts, type ServerFacts } from './server-facts.js';

export { serverFacts, type ServerFacts } from './server-facts.js';
import { runPgDump, type PlainDumpResult } from './dump.js';
import { globalsName, writeGlobals } from './globals.js';
import { BackupFolder, FOLDER_HINT, reason, reserveBackup, sealDump } from './folder.js';
import { listBackups } from './list.js';
import { manifestPath, type BackupFormat } from './naming.js';
import { writeManifest, type BackupKind, type BackupManifest, type TableContents } from './manifest.js';
import { recipientArgs, recipientsIn } from './age.js';
import { ContentSnapshot } from './contents.js';
import { pinnedBackups } from './pins.js';
import { hasRules, policyText, removeBackups, retentionPlan, type RetentionPolicy } from './retention.js';
import { sameDatabase } from './quick-start.js';
import { findSuperuser, type Superuser } from './superuser.js';
import { programVersion, progressFigures, type ProgressFigures } from './progress.js';
import { checkArchive, digestPath, plainDumpComplete, sizeOf, type Digest } from './verify.js';

export interface GitVersion {
  commit: string | null;
  shortCommit: string | null;
  describe: string | null;
}

export type BackupEvent =
  | { type: 'started'; file: string; format: BackupFormat; estimateBytes: number; excludedTableData: string[] }
  | ({ type: 'progress'; table: string | null } & ProgressFigures)
  | { type: 'warning'; message: string }
  | { type: 'verifying' }
  | { type: 'done'; path: string; manifest: BackupManifest }
  | { type: 'pruned'; removed: string[] };

export interface BackupOptions {
  db: DatabaseSettings;
  outDir: string;
  git: GitVersion;
  /**
   * The instance's root folder, recorded in the manifest with the database's host, port and name: retention removes
   * only backups that name this very instance and database, and never a pinned one. Without it the backup is
   * never pruned, and `retention` removes nothing.
   */
  root?: string;
  /** Who asks for it (default `backup`, the admin's own); counted apart by retention. */
  kind?: BackupKind;
  /** Also `pg_dumpall --globals-only` as the superuser (root on the database host), next to the dump. */
  globals?: boolean;
  /**
   * The database as Django reads it, when `db` came from the static reader so that pg_dump could start at once
   * (quick-start.ts): checked before the dump is kept; if it names another database, the dump is made again.
   */
  confirmDb?: Promise<DatabaseSettings>;
  format?: BackupFormat;
  jobs?: number;
  withEdgeTable?: boolean;
  /** age recipients (keys or recipients files): the dump is encrypted on its way to disk (plain and custom formats). */
  encryptTo?: readonly string[];
  /** Applied once the new backup is verified (retention.ts). */
  retention?: RetentionPolicy;
  reason?: string;
  signal?: AbortSignal;
  onProgress?: (event: BackupEvent) => void;
  log?: TaskLog;
  now?: () => Date;
  /** How often progress events fire while pg_dump runs. */
  tickMs?: number;
}

export interface BackupResult {
  path: string;
  manifestPath: string;
  manifest: BackupManifest;
  pruned: string[];
  /** Derived tables found empty (see ServerFacts): the caller offers their rebuild. */
  emptyDerived: string[];
}

/**
 * Dump the database into `outDir`: `.partial` first, verified, made private and flushed, renamed, then the
 * manifest; `keep` prunes only after all that. Any failure or abort removes what this run wrote. The folder is
 * opened once and used through that descriptor only (folder.ts).
 */
export async function runBackup(options: BackupOptions): Promise<BackupResult> {
  const format = options.format ?? 'sql';
  const jobs = options.jobs ?? 1;
  if (jobs > 1 && format !== 'directory') {
    throw new UsageError(`--jobs ${jobs} needs --format directory`, 'only the directory format dumps in parallel');
  }
  if (options.encryptTo?.length) {
    if (format === 'directory') throw new UsageError('--encrypt-to needs --format sql or custom', 'pg_dump writes a directory dump itself, file by file: it cannot be encrypted on its way to disk');
    recipientArgs(options.encryptTo);
  }
  const su = options.globals ? await findSuperuser(options.db) : null;
  try {
    return await backupOnce({ ...options, format, jobs }, su);
  } catch (err) {
    if (!(err instanceof OtherDatabase)) throw err;
    options.log?.line(`Django reads settings.py as naming database ${err.db.name} on ${err.db.host || 'the local socket'}:${err.db.port}: dumping that one`);
    return backupOnce({ ...options, format, jobs, db: err.db, confirmDb: undefined }, su);
  }
}

/** Thrown when Django's reading of the settings names another database than the one being dumped. */
class OtherDatabase extends Error {
  constructor(readonly db: DatabaseSettings) {
    super('settings.py names another database');
  }
}

async function backupOnce(options: BackupOptions & { format: BackupFormat; jobs: number }, su: Superuser | null): Promise<BackupResult> {
  const { format, jobs } = options;
  // The folder check and the connection overlap; a bad folder is still reported first, before any pg_dump.
  const [opened, facts] = await Promise.allSettled([BackupFolder.open(options.outDir), serverFacts(options.db)]);
  if (opened.status === 'rejected') throw opened.reason;
  const folder = opened.value;
  try {
    if (facts.status === 'rejected') {
      // The static reading may be what is wrong: Django's answer decides.
      const confirmed = await options.confirmDb;
      if (confirmed && !sameDatabase(confirmed, options.db)) throw new OtherDatabase(confirmed);
      throw facts.reason;
    }
    return await backupInto(folder, facts.value, { ...options, format, jobs, su });
  } finally {
    await folder.close();
  }
}

type Settled = BackupOptions & { format: BackupFormat; jobs: number; su: Superuser | null };

async function backupInto(folder: BackupFolder, server: ServerFacts, options: Settled): Promise<BackupResult> {
  const { format, jobs } = options;
  const emit = options.onProgress ?? (() => undefined);
  const now = options.now ?? (() => new Date());
  // Said while the dump runs: the check must not delay its start.
  const emptyDerived = emptyDerivedTablesOf(options.db).then(
    (empty) => {
      if (empty.length) emit({ type: 'warning', message: `${emptyDerivedLine(empty)}: ${REBUILD_COMMAND}` });
      return empty;
    },
    () => [],
  );
  const pgDump = pgBin('pg_dump', server.major);
  // Asked while the file is reserved and the snapshot taken: every millisecond before pg_dump starts is added.
  const versionAsked = execa(pgDump, ['--version']).then((r) => programVersion(r.stdout));
  versionAsked.catch(() => undefined);
  const excluded = options.withEdgeTable ? [] : server.derivedTables;
  const started = now();
  const encrypted = Boolean(options.encryptTo?.length);
  const snapshotOpened = ContentSnapshot.open(options.db).then((snapshot) => ({ snapshot, error: null }), (error: unknown) => ({ snapshot: null, error }));
  let spot: Awaited<ReturnType<typeof reserveBackup>>;
  let pgDumpVersion: string;
  try {
    spot = await reserveBackup(folder, options.db.name, started, options.git.shortCommit, format, encrypted);
  } catch (err) {
    await (await snapshotOpened).snapshot?.close();
    throw err;
  }
  try {
    pgDumpVersion = await versionAsked;
  } catch (err) {
    await (await snapshotOpened).snapshot?.close();
    await spot.file?.close().catch(() => undefined);
    await folder.remove(spot.partialName);
    throw err;
  }
  const [partial, finalPath] = [folder.at(spot.partialName), folder.shown(spot.finalName)];
  options.log?.line(`backup of ${options.db.name} to ${finalPath} (${format}, pg_dump ${pgDumpVersion})`);
  emit({ type: 'started', file: finalPath, format, estimateBytes: server.sizeBytes, excludedTableData: excluded });

  let renamed = false;
  let dumping = true;
  let table: string | null = null;
  let plainBytes = 0;
  const tick = async () => {
    const bytes = format === 'sql' ? plainBytes : await sizeOf(partial);
    // A slow size reading of a directory dump must not report after the dump has moved on to verifying.
    if (dumping) emit({ type: 'progress', table, ...progressFigures(bytes, Date.now() - started.getTime(), server.sizeBytes) });
  };
  const timer = setInterval(() => void tick(), options.tickMs ?? 500);
  const { snapshot, error: snapshotError } = await snapshotOpened;
  if (snapshotError) emit({ type: 'warning', message: `no row counts for a restore test: ${oneLine(snapshotError)}` });
  const measured = snapshot?.measure().catch((err: unknown) => {
    // Cancelled with the interrupted backup: there is no backup to say it of.
    if (!options.signal?.aborted) emit({ type: 'warning', message: `no row counts for a restore test: ${oneLine(err)}` });
    return undefined;
  });
  try {
    let plain: PlainDumpResult | null;
    let contents: TableContents | undefined;
    let measuredAll = false;
    try {
      plain = await runPgDump({
        pgDump,
        db: options.db,
        format,
        jobs,
        excludeTableData: excluded,
        ...(spot.file ? { output: { fd: spot.file.fd, path: partial } } : { target: partial }),
        signal: options.signal,
        log: options.log,
        onTable: (name) => (table = name),
        onBytes: (bytes) => (plainBytes = bytes),
        snapshot: snapshot?.id,
        ...(encrypted ? { encrypt: { recipients: options.encryptTo!, pgRestore: pgBin('pg_restore', server.major) } } : {}),
      });
      contents = await measured;
      measuredAll = true;
    } finally {
      clearInterval(timer);
      await (measuredAll ? snapshot?.close() : snapshot?.abandon());
    }
    await tick();
    dumping = false;
    emit({ type: 'verifying' });
    const digest = encrypted ? await digestPath(partial) : (plain ?? (await verifiedArchive(pgBin('pg_restore', server.major), partial)));
    if (plain && format === 'sql' && !plainDumpComplete(plain.watch.tailText())) {
      throw new CliError('pg_dump ended without the "dump complete" marker; the unfinished dump was removed', 1);
    }
    if (options.signal?.aborted) throw new CliError('backup interrupted; the unfinished dump was removed', 1);
    const confirmed = await options.confirmDb;
    if (confirmed && !sameDatabase(confirmed, options.db)) throw new OtherDatabase(confirmed);
    await sealDump(partial, spot.file);
    await spot.file?.close();
    await folder.rename(spot.partialName, spot.finalName);
    renamed = true;
    const globals = options.su ? await writeGlobals(folder, spot.finalName, options.su, pgBin('pg_dumpall', server.major)) : undefined;
    const manifest = manifestOf(options, { file: spot.finalName, server, pgDumpVersion, excluded, started, finished: now(), digest, globals, contents });
    if (encrypted) manifest.encryption = { tool: 'age', recipients: recipientsIn(options.encryptTo!), plainSha256: plain!.sha256, plainSizeBytes: plain!.sizeBytes };
    await writeManifest(folder.at(spot.finalName), manifest).catch((err: unknown) => {
      throw new CliError(`cannot write the manifest ${manifestPath(finalPath)}: ${reason(err)}; the backup was removed`, 1, FOLDER_HINT);
    });
    options.log?.line(`verified: ${digest.sizeBytes} bytes, sha256 ${digest.sha256}`);
    emit({ type: 'done', path: finalPath, manifest });
    // Outside the clean-up below: a failed prune must never take the new, verified backup with it.
    const pruned = await prune(folder, options, finalPath).catch((err: unknown) => {
      emit({ type: 'warning', message: `retention: ${oneLine(err)}` });
      return [];
    });
    if (pruned.length) emit({ type: 'pruned', removed: pruned });
    return { path: finalPath, manifestPath: manifestPath(finalPath), manifest, pruned, emptyDerived: await emptyDerived };
  } catch (err) {
    await spot.file?.close().catch(() => undefined);
    if (!renamed) await folder.remove(spot.partialName);
    else {
      await folder.remove(spot.finalName);
      await folder.remove(manifestPath(spot.finalName));
      await folder.remove(globalsName(spot.finalName));
    }
    options.log?.line(`backup failed: ${oneLine(err)}`);
    throw err;
  }
}

interface Made {
  file: string;
  server: ServerFacts;
  pgDumpVersion: string;
  excluded: string[];
  started: Date;
  finished: Date;
  digest: Digest;
  contents?: TableContents;
  globals?: BackupManifest['globals'];
}

function manifestOf(options: Settled, made: Made): BackupManifest {
  return {
    tool: 'catmaid-tui',
    manifestVersion: 2,
    file: made.file,
    database: options.db.name,
    host: options.db.host,
    port: options.db.port,
    databaseKey: databaseKey(options.db),
    ...(options.root ? { instance: { root: path.resolve(options.root), key: instanceKey(options.root) } } : {}),
    kind: options.kind ?? 'backup',
    serverVersion: made.server.version,
    pgDumpVersion: made.pgDumpVersion,
    commit: options.git.commit,
    shortCommit: options.git.shortCommit,
    describe: options.git.describe,
    format: options.format,
    jobs: options.jobs,
    excludedTableData: made.excluded,
    startedAt: made.started.toISOString(),
    finishedAt: made.finished.toISOString(),
    sizeBytes: made.digest.sizeBytes,
    sha256: made.digest.sha256,
    verified: true,
    ...(options.reason ? { reason: options.reason } : {}),
    ...(made.contents ? { contents: made.contents } : {}),
    ...(made.globals ? { globals: made.globals } : {}),
  };
}

async function verifiedArchive(pgRestore: string, target: string) {
  const check = await checkArchive(pgRestore, target);
  if (!check.ok) throw new CliError(`the archive does not read back: ${check.problem}; the unfinished dump was removed`, 1);
  return check.digest ?? digestPath(target);
}

async function prune(folder: BackupFolder, options: BackupOptions, protect: string): Promise<string[]> {
  if (!options.retention || !hasRules(options.retention) || !options.root) return [];
  const owner = { instanceKey: instanceKey(options.root), databaseKey: databaseKey(options.db) };
  const plan = retentionPlan(await listBackups(folder.path), owner, options.retention, { pins: pinnedBackups(options.root), protect });
  return removeBackups(plan.remove.map((d) => d.entry), folder, (entry) => options.log?.line(`retention (${policyText(options.retention!)}): removed ${entry.path}`));
}
