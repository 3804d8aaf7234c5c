import path from 'node:path';
import { safeFileComponent } from '../safe-name.js';

/** The three pg_dump output formats catmaid-tui makes. */
export type BackupFormat = 'sql' | 'custom' | 'directory';
export const BACKUP_FORMATS: readonly BackupFormat[] = ['sql', 'custom', 'directory'];

const EXTENSION: Record<BackupFormat, string> = { sql: 'sql', custom: 'dump', directory: 'dir' };

export function formatExtension(format: BackupFormat): string {
  return EXTENSION[format];
}

/** YYYYmmddHHMM in local time: the admin reads it next to `ls` and cron, both local. */
export function minuteStamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}${p(date.getHours())}${p(date.getMinutes())}`;
}

/** Stands in for the short commit when the instance is not a git checkout. */
export const NO_COMMIT = 'nogit';

/**
 * `<db>_<YYYYmmddHHMM>_<short commit>.<sql|dump|dir>`; the code version is in the name because a dump only
 * restores cleanly under the migrations it was made with. `serial` > 1 tells apart backups of the same minute.
 * The database name comes from settings.py: only a safe form of it goes into the name (the manifest keeps it).
 */
export function backupFileName(
  database: string,
  date: Date,
  shortCommit: string | null,
  format: BackupFormat,
  serial = 1,
  encrypted = false,
): string {
  const suffix = serial > 1 ? `-${serial}` : '';
  return `${safeFileComponent(database)}_${minuteStamp(date)}_${shortCommit || NO_COMMIT}${suffix}.${formatExtension(format)}${encrypted ? '.age' : ''}`;
}

export interface ParsedBackupName {
  database: string;
  stamp: string;
  /** Local time of the stamp. */
  date: Date;
  shortCommit: string | null;
  format: BackupFormat;
  /** `.sql.age`, `.dump.age`: encrypted with age (age.ts). */
  encrypted: boolean;
}

const NAME_RE = /^(.+)_(\d{12})_([0-9a-f]{4,40}|nogit)(?:-\d+)?\.(sql|dump|dir)(\.age)?$/;

/** Read a file name made by `backupFileName`; null for anything else (hand-made dumps have no such name). */
export function parseBackupName(fileName: string): ParsedBackupName | null {
  const match = NAME_RE.exec(path.basename(fileName));
  if (!match) return null;
  const [, database, stamp, commit, ext, age] = match;
  const n = (from: number, to: number) => Number(stamp.slice(from, to));
  const date = new Date(n(0, 4), n(4, 6) - 1, n(6, 8), n(8, 10), n(10, 12));
  const format = (Object.keys(EXTENSION) as BackupFormat[]).find((f) => EXTENSION[f] === ext) as BackupFormat;
  return { database, stamp, date, shortCommit: commit === NO_COMMIT ? null : commit, format, encrypted: age !== undefined };
}

/** The manifest sits next to the dump, named after the whole file name so formats never share one. */
export function manifestPath(dumpPath: string): string {
  return `${dumpPath.replace(/\/+$/, '')}.json`;
}

/** Where pg_dump writes until the dump is verified. */
export function partialPath(dumpPath: string): string {
  return `${dumpPath.replace(/\/+$/, '')}.partial`;
}

export function isPartialName(fileName: string): boolean {
  return fileName.endsWith('.partial');
}
