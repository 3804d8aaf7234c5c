import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { CliError } from '../errors.js';
import { BackupFolder } from './folder.js';
import { BACKUP_FORMATS, manifestPath, type BackupFormat } from './naming.js';

/**
 * Who asked for a backup: the admin (by hand or scheduled), a restore before it replaced the database (safety), an
 * update before its first step. `--keep` counts each kind apart, so safety backups never push out the admin's.
 */
export type BackupKind = 'backup' | 'safety' | 'update';

/** What a backup's `.json` records: enough to judge, before a restore, whether the dump fits the instance. */
export interface BackupManifest {
  tool: 'catmaid-tui';
  /** 1: before backups named their instance (never pruned: whose they are is unknown). */
  manifestVersion: 1 | 2;
  /** The dump's file (or folder) name, relative to the manifest. */
  file: string;
  /** The real name, as settings.py has it (the file name holds a safe form of it). */
  database: string;
  host: string;
  port: number;
  /** `host:port/name` (databaseKey): pruning touches only backups of this very database. */
  databaseKey?: string;
  /** The instance's root folder and its key (instanceKey): pruning touches only backups of this very instance. */
  instance?: { root: string; key: string };
  /** Absent in version 1: `backup`. */
  kind?: BackupKind;
  serverVersion: string;
  pgDumpVersion: string;
  commit: string | null;
  shortCommit: string | null;
  describe: string | null;
  format: BackupFormat;
  jobs: number;
  /** Tables whose rows were left out (their definitions are in the dump). */
  excludedTableData: string[];
  startedAt: string;
  finishedAt: string;
  sizeBytes: number;
  sha256: string;
  verified: boolean;
  /** Why it was made when not by the admin's own request, e.g. "taken before restore of x.sql". */
  reason?: string;
  /** `pg_dumpall --globals-only` written next to the dump (backup --globals): roles, their password hashes. */
  globals?: { file: string; sha256: string; sizeBytes: number };
  /** Row counts and checksums of the core tables in the dump's own snapshot: what a restore test compares. */
  contents?: TableContents;
  /** The last restore test of this backup. */
  restoreTest?: RestoreTestRecord;
  /** Set when the file is age-encrypted: `sha256`/`sizeBytes` are then the encrypted file's. */
  encryption?: BackupEncryption;
  /** Verified copies of the dump elsewhere (`--copy-to`). */
  copies?: CopyRecord[];
}

/** How the checksums were made (contents.ts); a restore test measures its copy the same way. */
export type ContentsMethod = 'row-hash-sum-v2' | 'row-md5-sum-v1';

/** Rows and an order-independent checksum per table (contents.ts). */
export interface TableContents {
  method: ContentsMethod;
  tables: Record<string, { rows: number; checksum: string }>;
}

export interface RestoreTestRecord {
  at: string;
  ok: boolean;
  /** `row counts and checksums equal (9 tables)`, or what differed. */
  detail: string;
  /** A throwaway database on the instance's server, or a temporary cluster of catmaid-tui's own. */
  where: 'database' | 'cluster';
  seconds: number;
}

export interface BackupEncryption {
  tool: 'age';
  recipients: string[];
  /** Of the dump before encryption: checked while a restore decrypts it. */
  plainSha256: string;
  plainSizeBytes: number;
}

export interface CopyRecord {
  destination: string;
  /** The copy's path at the destination (`user@host:path` for ssh). */
  path: string;
  at: string;
  sizeBytes: number;
  sha256: string;
}

export const kindOf = (m: BackupManifest): BackupKind => m.kind ?? 'backup';

export async function writeManifest(dumpPath: string, manifest: BackupManifest): Promise<string> {
  const file = manifestPath(dumpPath);
  await writeFileAtomic(file, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return file;
}

function isManifest(data: unknown): data is BackupManifest {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Record<string, unknown>;
  return (
    m.tool === 'catmaid-tui' &&
    typeof m.file === 'string' &&
    typeof m.database === 'string' &&
    typeof m.sha256 === 'string' &&
    typeof m.sizeBytes === 'number' &&
    typeof m.verified === 'boolean' &&
    BACKUP_FORMATS.includes(m.format as BackupFormat) &&
    Array.isArray(m.excludedTableData)
  );
}

export type ManifestReading =
  | { state: 'ok'; manifest: BackupManifest }
  | { state: 'missing' }
  | { state: 'invalid'; reason: string };

/** The manifest next to a dump; a broken one is reported, never trusted. */
export async function readManifest(dumpPath: string): Promise<ManifestReading> {
  let text: string;
  try {
    text = await fs.readFile(manifestPath(dumpPath), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'invalid', reason: (err as Error).message };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { state: 'invalid', reason: `not JSON (${(err as Error).message})` };
  }
  return isManifest(data) ? { state: 'ok', manifest: data } : { state: 'invalid', reason: 'not a catmaid-tui manifest' };
}

/**
 * Change a backup's manifest after the fact (a verified copy, a restore test's result): read, changed, written
 * atomically through the backup folder opened and checked as for a backup (folder.ts), never by a path that
 * could have been swapped meanwhile.
 */
export async function updateManifest(dumpPath: string, change: (manifest: BackupManifest) => BackupManifest): Promise<BackupManifest> {
  const reading = await readManifest(dumpPath);
  if (reading.state !== 'ok') throw new CliError(`${manifestPath(dumpPath)}: ${reading.state === 'missing' ? 'missing' : reading.reason}`, 1);
  const next = change(reading.manifest);
  const folder = await BackupFolder.open(path.dirname(path.resolve(dumpPath)));
  try {
    await writeManifest(folder.at(path.basename(dumpPath)), next);
  } finally {
    await folder.close();
  }
  return next;
}
