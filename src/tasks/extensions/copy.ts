import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { formatBytes } from '../bytes.js';
import { RefusedError, UsageError } from '../errors.js';
import { keepCopy } from '../file-copies.js';
import { ensureTrustedFolder, resolveTrustedFolder, type Trust } from './trusted-path.js';

/**
 * Above this a front-end extension is almost certainly a mistake (a data file, a bundle with its source maps):
 * CATMAID's own largest script is well under 10 MB, and every browser loads each extension on every page.
 */
export const EXTENSION_SIZE_WARNING = 10 * 1024 * 1024;

export interface ExtensionSource {
  content: Buffer;
  /** Problems worth a second look that do not stop the copy (its size). */
  warnings: string[];
}

/**
 * Read the file to add, refusing what could leak another user's secrets into a web-served folder: a symlink
 * (opened with O_NOFOLLOW, so one swapped in after any check is refused too), anything but a regular file, a
 * file owned by a user outside `trust`, a file with other hard links, and folders on the way that others own.
 * Every check is made on the opened descriptor (fstat), so the file checked is the file read.
 */
export async function readExtensionSource(source: string, trust: Trust): Promise<ExtensionSource> {
  const file = path.resolve(source);
  try {
    resolveTrustedFolder(path.dirname(file), trust, true);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`${source}: no such file`);
    throw err;
  }
  let handle: fs.FileHandle;
  try {
    // O_NONBLOCK: a FIFO named like a script must not hang the open; it is refused below.
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${source}: no such file`);
    if (code === 'ELOOP') throw new RefusedError(`${source} is a symlink: refused`, 'add the file it points to, by its own path, if it is yours');
    if (code === 'ENXIO') throw new RefusedError(`${source} is not a regular file: refused`);
    throw err;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new RefusedError(`${source} is not a regular file: refused`);
    if (!trust.uids.has(stat.uid)) {
      throw new RefusedError(`${source} belongs to uid ${stat.uid}, not to ${trust.who}: refused`, 'check the file, copy it to a file of your own, and add that');
    }
    if (stat.nlink > 1) {
      throw new RefusedError(`${source} has ${stat.nlink} hard links: refused (it may be another file's content)`, 'copy it to a new file and add that');
    }
    const content = await handle.readFile();
    const warnings =
      content.length > EXTENSION_SIZE_WARNING
        ? [`${path.basename(file)} is ${formatBytes(content.length)} (over ${formatBytes(EXTENSION_SIZE_WARNING)}), and every page loads it: is it the right file?`]
        : [];
    return { content, warnings };
  } finally {
    await handle.close();
  }
}

/** The regular file at `target`, read without following a symlink; null when there is none. */
async function readExisting(target: string): Promise<Buffer | null> {
  const stat = await fs.lstat(target).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (!stat) return null;
  if (!stat.isFile()) {
    throw new RefusedError(`${target} is ${stat.isSymbolicLink() ? 'a symlink' : 'not a regular file'}: catmaid-tui does not write through it`, `remove ${target}, then add the file again`);
  }
  const handle = await fs.open(target, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

export interface PlacedFile {
  target: string;
  /** What the file held before, when there was one and it differed (to put back if the settings change fails). */
  previous: Buffer | null;
  /** Where that old content was kept (catmaid-tui's state folder). */
  copy?: string;
  changed: boolean;
}

/**
 * Write `content` as `name` into the extension folder, which must be trusted all the way (see trusted-path.ts);
 * never through a symlink. The file is written 0600 and made 0644 (readable by the web server) only once it is
 * complete, then renamed into place.
 */
export async function placeExtensionFile(folder: string, name: string, content: Buffer, trust: Trust, instanceRoot: string): Promise<PlacedFile> {
  const dir = ensureTrustedFolder(folder, trust);
  const target = path.join(dir, name);
  const previous = await readExisting(target);
  if (previous?.equals(content)) return { target, previous: null, changed: false };
  const copy = previous ? await keepCopy(target, instanceRoot) : undefined;
  await writeFileAtomic(target, content, { mode: 0o644 });
  return { target, previous, copy, changed: true };
}

/**
 * Delete an extension's file after keeping a copy of it; a symlink in its place is removed without reading what
 * it points to. False when there was no file (or something else, such as a folder, that is left alone).
 */
export async function deleteExtensionFile(target: string, instanceRoot: string): Promise<boolean> {
  const stat = await fs.lstat(target).catch(() => null);
  if (!stat || !(stat.isFile() || stat.isSymbolicLink())) return false;
  if (stat.isFile()) await keepCopy(target, instanceRoot);
  await fs.rm(target);
  return true;
}
