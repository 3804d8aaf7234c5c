import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What a machine without Node.js lacks (and what a test must not find on PATH). */
const NODE_PROGRAMS = new Set(['node', 'nodejs', 'npm', 'npx', 'corepack']);

/**
 * `PATH` as it is, without node: each folder on it that holds node (here /usr/bin, whose node came with the
 * machine, and .node/bin of scripts/setup.sh) is replaced by a folder of links to everything else in it, so git,
 * psql, python3 and tmux are still found. The folders live in /tmp, one set per PATH and list of programs, made once (renamed into
 * place whole) and reused by every test file and run.
 */
export function pathWithoutNode(pathVar = process.env.PATH ?? ''): string {
  const dirs = pathVar.split(':').filter(Boolean);
  // A folder whose list of programs changed (apt-get install) has another mtime, hence other links.
  const stamps = dirs.filter(holdsNode).map((dir) => fs.statSync(dir).mtimeMs);
  const key = crypto.createHash('sha256').update(`${os.userInfo().uid}\0${pathVar}\0${stamps.join(',')}`).digest('hex').slice(0, 12);
  const base = path.join(os.tmpdir(), `catmaid-tui-test-no-node-${key}`);
  if (!fs.existsSync(base)) buildLinks(dirs, base);
  return dirs.map((dir, i) => (holdsNode(dir) ? path.join(base, String(i)) : dir)).join(':');
}

function holdsNode(dir: string): boolean {
  return [...NODE_PROGRAMS].some((name) => fs.existsSync(path.join(dir, name)));
}

function buildLinks(dirs: string[], base: string): void {
  const work = fs.mkdtempSync(`${base}.partial-`);
  dirs.forEach((dir, i) => {
    if (!holdsNode(dir)) return;
    const into = path.join(work, String(i));
    fs.mkdirSync(into);
    for (const name of fs.readdirSync(dir)) {
      if (!NODE_PROGRAMS.has(name)) fs.symlinkSync(path.join(dir, name), path.join(into, name));
    }
  });
  fs.chmodSync(work, 0o755);
  try {
    fs.renameSync(work, base);
  } catch (err) {
    // Another test process made the same folders first.
    fs.rmSync(work, { recursive: true, force: true });
    if (!fs.existsSync(base)) throw err;
  }
}
