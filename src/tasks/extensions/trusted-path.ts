import fs from 'node:fs';
import path from 'node:path';
import { RefusedError } from '../errors.js';

/**
 * Who may have put a file or folder on the way between an extension file and the web-served folder: root, the
 * user running catmaid-tui, and the owner of the instance's settings.py (who can change what CATMAID serves
 * anyway). Anything owned by another user could be a trap (a symlink to /etc/shadow, a folder to swap files in).
 */
export interface Trust {
  uids: ReadonlySet<number>;
  /** For messages: who the uids are. */
  who: string;
}

export function trustFor(settingsPy: string): Trust {
  const me = process.getuid?.() ?? 0;
  const owner = fs.statSync(settingsPy).uid;
  const uids = new Set([0, me, owner]);
  return { uids, who: `root, you (uid ${me})${owner !== me && owner !== 0 ? ` or the owner of settings.py (uid ${owner})` : ''}` };
}

export interface ResolvedFolder {
  /** The folder's path with every symlink resolved (each one checked on the way). */
  real: string;
  /** Trailing components that do not exist yet (to be created by catmaid-tui itself). */
  missing: string[];
}

const MAX_LINKS = 40;

function checkFolder(dir: string, stat: fs.Stats, trust: Trust, end: boolean): void {
  if (!stat.isDirectory()) throw new RefusedError(`${dir} is not a folder`);
  if (!trust.uids.has(stat.uid)) {
    throw new RefusedError(`${dir} belongs to uid ${stat.uid}, not to ${trust.who}`, `give it to one of them (chown) or use another folder`);
  }
  const writableByOthers = (stat.mode & 0o022) !== 0;
  // A sticky folder (/tmp) lets others add entries but not rename or remove ours: harmless on the way, not as the end.
  const sticky = (stat.mode & 0o1000) !== 0;
  if (writableByOthers && (end || !sticky)) {
    throw new RefusedError(`${dir} is writable by other users (mode ${(stat.mode & 0o7777).toString(8)})`, `chmod go-w ${dir}`);
  }
}

/**
 * Resolve a folder's path one component at a time, as the kernel would, refusing any symlink or folder on the way
 * that an untrusted user owns, and any folder others can write to (sticky ones such as /tmp only on the way, or
 * at the end too with `stickyEnd`: a file read from there is checked on its open descriptor).
 * Components that do not exist yet are returned, for the caller to create.
 */
export function resolveTrustedFolder(folder: string, trust: Trust, stickyEnd = false): ResolvedFolder {
  let done = '/';
  let todo = path.resolve(folder).split('/').filter(Boolean);
  let links = 0;
  const isEnd = (rest: string[]) => rest.length === 0 && !stickyEnd;
  checkFolder('/', fs.lstatSync('/'), trust, isEnd(todo));
  while (todo.length > 0) {
    const [name, ...rest] = todo;
    const next = path.join(done, name);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(next);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { real: done, missing: todo };
      throw err;
    }
    if (stat.isSymbolicLink()) {
      if (!trust.uids.has(stat.uid)) {
        throw new RefusedError(`${next} is a symlink owned by uid ${stat.uid}, not by ${trust.who}`, `remove it, or point at the real path`);
      }
      links += 1;
      if (links > MAX_LINKS) throw new RefusedError(`${folder}: too many symlinks`);
      const target = fs.readlinkSync(next);
      if (path.isAbsolute(target)) done = '/';
      todo = [...target.split('/').filter(Boolean), ...rest];
      continue;
    }
    checkFolder(next, stat, trust, isEnd(rest));
    done = next;
    todo = rest;
  }
  return { real: done, missing: [] };
}

/**
 * The folder, existing and trusted: missing components are created (0755) one at a time and checked again
 * after creation, so nothing planted between the check and the mkdir is used.
 */
export function ensureTrustedFolder(folder: string, trust: Trust): string {
  const { real, missing } = resolveTrustedFolder(folder, trust);
  let dir = real;
  for (const name of missing) {
    if (name === '..' || name === '.') throw new RefusedError(`${folder}: a missing folder is followed by "${name}"`);
    dir = path.join(dir, name);
    fs.mkdirSync(dir, { mode: 0o755 });
  }
  const again = resolveTrustedFolder(folder, trust);
  if (again.missing.length > 0) throw new RefusedError(`${folder} disappeared while it was created`);
  return again.real;
}
