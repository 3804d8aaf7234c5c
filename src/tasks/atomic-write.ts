import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** File mode of the new file; by default the old file's mode, else 0644. */
  mode?: number;
}

/**
 * Replace a file's content so that a reader (or a crash) sees either the old or the new file, never half of one:
 * write a temporary file in the same folder, fsync, rename over. A copy of the old file, when one is needed, is
 * the caller's (keepCopy in file-copies.ts: never next to the file).
 */
export async function writeFileAtomic(
  file: string,
  content: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = path.dirname(file);
  const old = await fs.stat(file).catch(() => undefined);
  const mode = options.mode ?? (old ? old.mode & 0o7777 : 0o644);
  // Created owner-only and exclusively (O_EXCL never follows a symlink); the final mode and owner are set on the
  // descriptor once the content is complete, so no one reads a half-written file through a looser mode.
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
    if (old) await handle.chown(old.uid, old.gid).catch(() => undefined);
    await handle.chmod(mode);
  } catch (err) {
    await handle.close();
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** A timestamp for file names: YYYYmmddHHMMSS in local time. */
export function fileStamp(date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}
