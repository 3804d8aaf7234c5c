import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CliError } from '../errors.js';
import { stateHome } from '../paths.js';
import { safeFileComponent } from '../safe-name.js';

/**
 * An instance is its root folder, resolved through symlinks: two checkouts whose folders share a name are two
 * instances. (A database of an instance is told apart by host, port and name on top of this; see
 * databaseKey.)
 */
export function instanceKey(root: string): string {
  let real: string;
  try {
    real = fs.realpathSync(root);
  } catch {
    real = path.resolve(root);
  }
  return crypto.createHash('sha256').update(real).digest('hex').slice(0, 12);
}

/** `<host>:<port>/<name>` of a database, for manifests and comparisons (an empty host is the local socket). */
export function databaseKey(db: { host: string; port: number; name: string }): string {
  return `${db.host || 'local'}:${db.port}/${db.name}`;
}

/** `<folder name>-<key>`: readable in `ls`, unique per instance. */
export function instanceSlug(root: string): string {
  return `${safeFileComponent(path.basename(path.resolve(root)) || 'root')}-${instanceKey(root)}`;
}

/**
 * catmaid-tui's own folder for one instance, under `$XDG_STATE_HOME/catmaid-tui/instances/`: journals, copies of
 * files it changed, pins, run records. Never inside the checkout (files there show as local changes).
 */
export function instanceStateDir(root: string): string {
  return path.join(stateHome(), 'catmaid-tui', 'instances', instanceSlug(root));
}

/**
 * Create `dir` (and missing parents) owner-only, refusing a path whose last component is a symlink or not a
 * directory, or a folder owned by another user: a hostile user must not redirect what catmaid-tui writes.
 */
export function ensurePrivateDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(dir);
  const uid = process.getuid?.();
  if (!stat.isDirectory()) throw new CliError(`${dir} is not a directory (a symlink or a file is in the way)`, 1, `remove ${dir}`);
  if (uid !== undefined && stat.uid !== uid) throw new CliError(`${dir} belongs to uid ${stat.uid}, not to this user`, 1, `remove ${dir}`);
  if ((stat.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
  return dir;
}

/** `instanceStateDir(root)/<sub>`, created owner-only. */
export function instanceStatePath(root: string, ...sub: string[]): string {
  const base = ensurePrivateDir(instanceStateDir(root));
  if (sub.length === 0) return base;
  return ensurePrivateDir(path.join(base, ...sub));
}
