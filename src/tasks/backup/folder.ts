import fs from 'node:fs/promises';
import path from 'node:path';
import { CliError, oneLine } from '../errors.js';
import { backupFileName, manifestPath, partialPath, type BackupFormat } from './naming.js';

const FOLDER_HINT = 'choose another folder with --out DIR, or fix its permissions';

/**
 * Create the backup folder (0700: dumps hold password hashes) or check the existing one, before pg_dump
 * starts: a scheduled backup into a missing or read-only folder must fail at once and say so.
 */
export async function ensureBackupDir(dir: string): Promise<string> {
  const resolved = path.resolve(dir);
  try {
    await fs.mkdir(resolved, { recursive: true, mode: 0o700 });
    const stat = await fs.stat(resolved);
    if (!stat.isDirectory()) throw new Error('not a directory');
    await fs.access(resolved, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    throw new CliError(`backup folder ${resolved} is not writable: ${reason(err)}; nothing was written`, 1, FOLDER_HINT);
  }
  return resolved;
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a file is in the way';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  return oneLine(err);
}

export interface Reservation {
  finalPath: string;
  partialPath: string;
}

async function exists(file: string): Promise<boolean> {
  return fs.lstat(file).then(
    () => true,
    () => false,
  );
}

/**
 * Claim the next free name and create its `.partial` (file 0600 or folder 0700) exclusively, so two backups in
 * the same minute never write into one another; creating it is also the real test that the folder takes files.
 */
export async function reserveBackup(
  dir: string,
  database: string,
  date: Date,
  shortCommit: string | null,
  format: BackupFormat,
): Promise<Reservation> {
  for (let serial = 1; serial < 1000; serial += 1) {
    const finalPath = path.join(dir, backupFileName(database, date, shortCommit, format, serial));
    const partial = partialPath(finalPath);
    if ((await exists(finalPath)) || (await exists(manifestPath(finalPath)))) continue;
    try {
      if (format === 'directory') await fs.mkdir(partial, { mode: 0o700 });
      else await (await fs.open(partial, 'wx', 0o600)).close();
      return { finalPath, partialPath: partial };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new CliError(`cannot write in backup folder ${dir}: ${reason(err)}; nothing was written`, 1, FOLDER_HINT);
    }
  }
  throw new CliError(`backup folder ${dir}: no free name left for ${database} this minute`, 1);
}

/** Make every file of a finished dump owner-only, whatever pg_dump's umask gave it. */
export async function makePrivate(target: string): Promise<void> {
  const stat = await fs.stat(target);
  if (!stat.isDirectory()) {
    await fs.chmod(target, 0o600);
    return;
  }
  await fs.chmod(target, 0o700);
  for (const entry of await fs.readdir(target, { withFileTypes: true })) {
    await makePrivate(path.join(target, entry.name));
  }
}

/** Flush a dump to disk before it gets its final name, so a power cut never leaves a short "verified" file. */
export async function syncPath(target: string): Promise<void> {
  const stat = await fs.stat(target);
  if (stat.isDirectory()) {
    for (const entry of await fs.readdir(target)) await syncPath(path.join(target, entry));
  }
  const handle = await fs.open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function removePath(target: string): Promise<void> {
  await fs.rm(target, { recursive: true, force: true });
}
