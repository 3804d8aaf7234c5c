import fs from 'node:fs';
import path from 'node:path';
import type { ServerProcess } from './types.js';

/**
 * Processes of an instance, read from /proc. `findServerProcesses`: the WSGI/ASGI servers (uwsgi, gunicorn,
 * daphne, `manage.py runserver`) whose working directory or arguments (or an .ini/.yaml/.conf file named in
 * them) point under the root — what serves requests. `findInstanceProcesses`: everything that runs the
 * instance's code and may touch its database: those servers and their workers, celery worker and beat, gevent
 * runners, any other `manage.py` command or python program of the root, named by program.
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

/** A value (`--ini=/etc/uwsgi/catmaid.ini`, `/srv/catmaid/django/projects`) that points into the root. */
export function mentionsRoot(value: string, root: string, cwd = ''): boolean {
  const resolvedRoot = path.resolve(root);
  const candidate = value.includes('=') ? value.slice(value.indexOf('=') + 1) : value;
  const file = path.isAbsolute(candidate) ? candidate : cwd ? path.resolve(cwd, candidate) : candidate;
  return (path.isAbsolute(file) && under(resolvedRoot, file)) || configMentions(file, resolvedRoot);
}

interface ProcEntry {
  pid: number;
  ppid: number;
  argv: string[];
  cwd: string;
}

function readProc(proc: string, entry: string): ProcEntry | null {
  try {
    const stat = fs.readFileSync(path.join(proc, entry, 'stat'), 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z') return null;
    const argv = fs.readFileSync(path.join(proc, entry, 'cmdline'), 'utf8').split('\0').filter(Boolean);
    let cwd = '';
    try {
      cwd = fs.readlinkSync(path.join(proc, entry, 'cwd'));
    } catch {
      // another user's process: only its arguments can tell
    }
    return { pid: Number(entry), ppid: Number(ppid), argv, cwd };
  } catch {
    return null;
  }
}

function readAll(proc: string): ProcEntry[] {
  return fs.readdirSync(proc).filter((e) => /^\d+$/.test(e)).map((e) => readProc(proc, e)).filter((p): p is ProcEntry => p !== null);
}

const ofRoot = (p: ProcEntry, root: string): boolean => (p.cwd !== '' && under(path.resolve(root), p.cwd)) || p.argv.some((a) => mentionsRoot(a, root, p.cwd));

export function findServerProcesses(root: string, proc = '/proc'): ServerProcess[] {
  const found: ServerProcess[] = [];
  for (const p of readAll(proc)) {
    if (p.pid === process.pid) continue;
    const kind = classify(p.argv);
    if (kind && ofRoot(p, root)) found.push({ pid: p.pid, kind, command: p.argv.join(' ') });
  }
  return found.sort((a, b) => a.pid - b.pid);
}

/**
 * The program a command line runs, as an admin would name it; null for what cannot run the instance's code
 * (shells, editors, git …). Python runs everything else: a python process of the root is a program of it.
 */
export function programOf(argv: string[]): string | null {
  const kind = classify(argv);
  if (kind) return kind;
  const names = argv.slice(0, 3).map((a) => path.basename(a));
  const python = /^python[\d.]*$/.test(names[0] ?? '');
  const celery = names[0] === 'celery' || (python && names[1] === 'celery') || (python && argv[1] === '-m' && argv[2] === 'celery');
  if (celery) return argv.includes('beat') ? 'celery beat' : argv.includes('worker') ? 'celery worker' : 'celery';
  if (argv.some((a) => /gevent/i.test(path.basename(a)))) return 'gevent runner';
  const manage = argv.findIndex((a) => path.basename(a) === 'manage.py');
  if (manage >= 0) return `manage.py ${argv[manage + 1] ?? ''}`.trim();
  if (python) return `python ${argv[1] ? path.basename(argv[1]) : ''}`.trim();
  return null;
}

/** Who runs a process for the instance, when a service manager does (see services/discover.ts). */
export type ProcessManager = { kind: 'supervisor'; conf: string; program: string | null } | { kind: 'systemd'; unit: string };

export interface InstanceProcess {
  pid: number;
  ppid: number;
  program: string;
  command: string;
  manager?: ProcessManager;
}

export interface ManagerLookup {
  /** supervisord pids → their configuration file. */
  supervisords: Map<number, string>;
  /** systemd units of the instance. */
  units: Set<string>;
}

function environ(proc: string, pid: number): Map<string, string> {
  try {
    return new Map(fs.readFileSync(path.join(proc, String(pid), 'environ'), 'utf8').split('\0').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  } catch {
    return new Map();
  }
}

function managerOf(p: ProcEntry, byPid: Map<number, ProcEntry>, lookup: ManagerLookup, proc: string): ProcessManager | undefined {
  for (let at: ProcEntry | undefined = p, hops = 0; at && hops < 32; at = byPid.get(at.ppid), hops += 1) {
    const conf = lookup.supervisords.get(at.ppid);
    if (conf) {
      const env = environ(proc, p.pid);
      const name = env.get('SUPERVISOR_PROCESS_NAME');
      const group = env.get('SUPERVISOR_GROUP_NAME');
      return { kind: 'supervisor', conf, program: name ? (group && group !== name ? `${group}:${name}` : name) : null };
    }
  }
  try {
    const unit = /\/([^/]+\.service)\s*$/m.exec(fs.readFileSync(path.join(proc, String(p.pid), 'cgroup'), 'utf8'))?.[1];
    if (unit && lookup.units.has(unit)) return { kind: 'systemd', unit };
  } catch {
    // no cgroup file: not under systemd
  }
  return undefined;
}

/** Every process running the instance's code, with the service manager that runs it (if any). */
export function findInstanceProcesses(root: string, lookup: ManagerLookup = { supervisords: new Map(), units: new Set() }, proc = '/proc'): InstanceProcess[] {
  const all = readAll(proc);
  const byPid = new Map(all.map((p) => [p.pid, p]));
  // catmaid-tui itself, what started it (a shell sitting in the root) and its own children (python it runs).
  const mine = new Set<number>();
  for (let at = byPid.get(process.pid); at; at = byPid.get(at.ppid)) mine.add(at.pid);
  const descends = (p: ProcEntry): boolean => {
    for (let at: ProcEntry | undefined = p, hops = 0; at && hops < 64; at = byPid.get(at.ppid), hops += 1) if (at.ppid === process.pid) return true;
    return false;
  };
  const found: InstanceProcess[] = [];
  for (const p of all) {
    if (mine.has(p.pid) || lookup.supervisords.has(p.pid) || descends(p)) continue;
    const program = programOf(p.argv);
    if (!program || !ofRoot(p, root)) continue;
    found.push({ pid: p.pid, ppid: p.ppid, program, command: p.argv.join(' '), manager: managerOf(p, byPid, lookup, proc) });
  }
  return found.sort((a, b) => a.pid - b.pid);
}

/** `uwsgi (3 processes, pid 41 …)` per program: how a refusal or a plan names them. */
export function describeProcesses(processes: readonly InstanceProcess[]): string[] {
  const byProgram = new Map<string, InstanceProcess[]>();
  for (const p of processes) byProgram.set(p.program, [...(byProgram.get(p.program) ?? []), p]);
  return [...byProgram].map(([program, list]) => `${program} (${list.length > 1 ? `${list.length} processes, pids ${list.map((p) => p.pid).join(' ')}` : `pid ${list[0].pid}`})`);
}
