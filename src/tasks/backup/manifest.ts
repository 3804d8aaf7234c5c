import fs from 'node:fs/promises';
import { writeFileAtomic } from '../atomic-write.js';
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
