import fs from 'node:fs';
import path from 'node:path';
import type { ServerProcess } from './types.js';

/**
 * CATMAID server processes for a root, read from /proc: uwsgi, gunicorn, daphne or `manage.py runserver` whose
 * working directory or arguments (or an .ini/.yaml/.conf file named in them) point under the root.
 */
export function classify(argv: string[]): ServerProcess['kind'] | null {
  const names = argv.slice(0, 3).map((a) => path.basename(a));
  if (names.some((n) => n === 'uwsgi' || n.startsWith('uwsgi'))) return 'uwsgi';
  if (names.some((n) => n === 'gunicorn' || n.startsWith('gunicorn'))) return 'gunicorn';
  if (names.some((n) => n === 'daphne')) return 'daphne';
  const manage = argv.findIndex((a) => path.basename(a) === 'manage.py');
  if (manage >= 0 && argv[manage + 1] === 'runserver') return 'runserver';
  return null;
}

function under(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function configMentions(file: string, root: string): boolean {
  if (!/\.(ini|ya?ml|conf|py)$/.test(file)) return false;
  try {
    return fs.readFileSync(file, 'utf8').includes(root);
  } catch {
    return false;
  }
}

export function findServerProcesses(root: string, proc = '/proc'): ServerProcess[] {
  const found: ServerProcess[] = [];
  const resolvedRoot = path.resolve(root);
  for (const entry of fs.readdirSync(proc)) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let argv: string[];
    try {
      argv = fs.readFileSync(path.join(proc, entry, 'cmdline'), 'utf8').split('\0').filter(Boolean);
    } catch {
      continue;
    }
    const kind = classify(argv);
    if (!kind) continue;
    let cwd = '';
    try {
      cwd = fs.readlinkSync(path.join(proc, entry, 'cwd'));
    } catch {
      // another user's process: only its arguments can tell
    }
    const absolute = (a: string) => (path.isAbsolute(a) ? a : cwd ? path.resolve(cwd, a) : a);
    const serves =
      (cwd !== '' && under(resolvedRoot, cwd)) ||
      argv.some((a) => {
        const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : a;
        const file = absolute(value);
        return (path.isAbsolute(file) && under(resolvedRoot, file)) || configMentions(file, resolvedRoot);
      });
    if (serves) found.push({ pid: Number(entry), kind, command: argv.join(' ') });
  }
  return found.sort((a, b) => a.pid - b.pid);
}
