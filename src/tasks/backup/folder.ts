import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CliError, oneLine, RefusedError } from '../errors.js';
import { backupFileName, manifestPath, partialPath, type BackupFormat } from './naming.js';

export const FOLDER_HINT = 'choose another folder with --out DIR, or fix its permissions';
const { O_DIRECTORY, O_NOFOLLOW, O_RDONLY, O_CREAT, O_EXCL, O_WRONLY } = fs.constants;

/** Why a file operation failed, in words (the errno's, not Node's message). */
export function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a file is in the way';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOSPC') return 'no space left on device';
  return oneLine(err);
}

const userName = (uid: number): string => (uid === process.getuid?.() ? os.userInfo().username : `uid ${uid}`);

/**
 * The backup folder, opened once and then used only through that open descriptor: every file of a backup is
 * reached as `/proc/<pid>/fd/<n>/<name>`, which the kernel resolves to the folder that was opened and checked,
 * whatever happens to its path meanwhile (issue 12.6: a user who could write the folder, or move it, swapped the
 * `.partial` for a link to another file). Node has no openat(2); the /proc path is the same thing on Linux, and
 * children (pg_dump, pg_restore) of the same user can use it too. The folder itself must be the user's own and
 * writable by nobody else, so nobody can put a link or a file of theirs into it.
 */
export class BackupFolder {
  private constructor(
    /** The folder as the admin named it: for messages, listings and pins. */
    readonly path: string,
    private readonly handle: fs.FileHandle,
  ) {}

  /**
   * Create the folder (0700: dumps hold password hashes) or open the existing one, before pg_dump starts: a
   * scheduled backup into a missing, foreign or read-only folder must fail at once and say so.
   */
  static async open(dir: string): Promise<BackupFolder> {
    const resolved = path.resolve(dir);
    let handle: fs.FileHandle;
    try {
      await fs.mkdir(resolved, { recursive: true, mode: 0o700 });
      handle = await fs.open(resolved, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    } catch (err) {
      // O_NOFOLLOW on a link gives ELOOP, or ENOTDIR when O_DIRECTORY is checked first.
      if ((await fs.lstat(resolved).catch(() => null))?.isSymbolicLink()) {
        throw new RefusedError(`backup folder ${resolved} is a symbolic link; nothing was written`, `use the folder it points to: --out ${await fs.realpath(resolved).catch(() => 'DIR')}`);
      }
      throw new CliError(`backup folder ${resolved} is not writable: ${reason(err)}; nothing was written`, 1, FOLDER_HINT);
    }
    try {
      BackupFolder.check(resolved, await handle.stat());
      await fs.access(`/proc/${process.pid}/fd/${handle.fd}/`, fs.constants.W_OK | fs.constants.X_OK).catch((err: unknown) => {
        throw new CliError(`backup folder ${resolved} is not writable: ${reason(err)}; nothing was written`, 1, FOLDER_HINT);
      });
    } catch (err) {
      await handle.close();
      throw err;
    }
    return new BackupFolder(resolved, handle);
  }

  private static check(dir: string, stat: { uid: number; mode: number }): void {
    const uid = process.getuid?.();
    const risk = 'another user could swap the dump for a link; nothing was written';
    if (uid !== undefined && stat.uid !== uid) {
      throw new RefusedError(
        `backup folder ${dir} belongs to ${userName(stat.uid)}, not to ${os.userInfo().username} (uid ${uid}): ${risk}`,
        `chown ${os.userInfo().username} ${dir} (and chmod 700), or choose another folder with --out DIR`,
      );
    }
    if ((stat.mode & 0o022) !== 0) {
      throw new RefusedError(`backup folder ${dir} is writable by other users (mode ${(stat.mode & 0o777).toString(8)}): ${risk}`, `chmod go-w ${dir}`);
    }
  }

  /** `name` inside the opened folder, as a path any process of this user can open. */
  at(name: string): string {
    return `/proc/${process.pid}/fd/${this.handle.fd}/${name}`;
  }

  /** `name` as the admin reads it. */
  shown(name: string): string {
    return path.join(this.path, name);
  }

  async exists(name: string): Promise<boolean> {
    return fs.lstat(this.at(name)).then(() => true, () => false);
  }

  async remove(name: string): Promise<void> {
    await fs.rm(this.at(name), { recursive: true, force: true });
  }

  async rename(from: string, to: string): Promise<void> {
    await fs.rename(this.at(from), this.at(to));
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

export interface Reservation {
  finalName: string;
  partialName: string;
  /** The `.partial` file, created O_EXCL|O_NOFOLLOW and 0600, that pg_dump writes (plain and custom formats). */
  file: fs.FileHandle | null;
}

/**
 * Claim the next free name and create its `.partial` (file 0600 or folder 0700) exclusively, never through a
 * link, so two backups in the same minute never write into one another; creating it is also the real test that
 * the folder takes files.
 */
export async function reserveBackup(
  folder: BackupFolder,
  database: string,
  date: Date,
  shortCommit: string | null,
  format: BackupFormat,
  encrypted = false,
): Promise<Reservation> {
  for (let serial = 1; serial < 1000; serial += 1) {
    const finalName = backupFileName(database, date, shortCommit, format, serial, encrypted);
    const partialName = partialPath(finalName);
    if ((await folder.exists(finalName)) || (await folder.exists(manifestPath(finalName)))) continue;
    try {
      if (format === 'directory') {
        await fs.mkdir(folder.at(partialName), { mode: 0o700 });
        return { finalName, partialName, file: null };
      }
      const file = await fs.open(folder.at(partialName), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
      return { finalName, partialName, file };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new CliError(`cannot write in backup folder ${folder.path}: ${reason(err)}; nothing was written`, 1, FOLDER_HINT);
    }
  }
  throw new CliError(`backup folder ${folder.path}: no free name left for ${database} this minute`, 1);
}

/**
 * Make a finished dump owner-only whatever pg_dump's umask gave it, and flush it to disk before it gets its final
 * name, so a power cut never leaves a short "verified" file. Each file is opened without following links and
 * changed through its descriptor (fchmod, fsync), never by path.
 */
export async function sealDump(target: string, file: fs.FileHandle | null): Promise<void> {
  if (file) {
    await file.chmod(0o600);
    await file.sync();
    return;
  }
  await sealEntry(target, 0o700);
}

async function sealEntry(target: string, mode: number): Promise<void> {
  const handle = await fs.open(target, O_RDONLY | O_NOFOLLOW);
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) {
      for (const entry of await fs.readdir(target, { withFileTypes: true })) {
        if (!entry.isFile() && !entry.isDirectory()) throw new CliError(`${entry.name} in the dump is neither a file nor a folder`, 1);
        await sealEntry(path.join(target, entry.name), entry.isDirectory() ? 0o700 : 0o600);
      }
    }
    await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Remove a path the caller owns outright (pruning lists paths in the backup folder). */
export async function removePath(target: string): Promise<void> {
  await fs.rm(target, { recursive: true, force: true });
}
