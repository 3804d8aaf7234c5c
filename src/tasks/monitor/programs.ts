import fs from 'node:fs';
import path from 'node:path';
import { classify } from '../instance/processes.js';

/**
 * Which program a local client process is, in the words an admin uses: "uwsgi worker 3", "celery beat",
 * "psql (alice)". The web servers are recognised by processes.ts's classifier (the same one `info` uses);
 * celery, psql and catmaid-tui here.
 */
export type ProgramKind =
  | 'uwsgi' | 'gunicorn' | 'daphne' | 'runserver' | 'celery-worker' | 'celery-beat' | 'psql' | 'catmaid-tui' | 'other';

export interface ClientProcess {
  pid: number;
  /** Parent pid (0 when unknown). */
  ppid: number;
  program: ProgramKind;
  /** "uwsgi worker 3", "psql (alice)", "python3 report.py (bob)". */
  label: string;
  user: string;
}

export interface ProcessFacts {
  pid: number;
  ppid: number;
  uid: number;
  argv: string[];
}

/** cmdline, parent and owner of a process; null when it is gone. */
export function processFacts(pid: number, proc = '/proc'): ProcessFacts | null {
  try {
    const argv = fs.readFileSync(path.join(proc, String(pid), 'cmdline'), 'utf8').split('\0').filter(Boolean);
    const status = fs.readFileSync(path.join(proc, String(pid), 'status'), 'utf8');
    const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? -1);
    return { pid, ppid, uid, argv };
  } catch {
    return null;
  }
}

let passwd: Map<number, string> | null = null;

/** uid → user name from /etc/passwd (read once; a uid without a name stays a number). */
export function userName(uid: number, file = '/etc/passwd'): string {
  if (!passwd) {
    passwd = new Map();
    try {
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        const [name, , id] = line.split(':');
        if (name && id) passwd.set(Number(id), name);
      }
    } catch {
      // no passwd to read: numbers it is
    }
  }
  return passwd.get(uid) ?? String(uid);
}

const INTERPRETERS = /^(python[\d.]*|node|nodejs|perl|ruby|php[\d.]*|bash|sh)$/;

/** celery's own process titles (with setproctitle) or its command line: `celery -A mysite worker|beat`. */
function celeryKind(argv: string[]): ProgramKind | null {
  const first = argv[0] ?? '';
  if (first.startsWith('[celeryd')) return 'celery-worker';
  if (first.startsWith('[celery beat') || first === 'celery beat') return 'celery-beat';
  const at = argv.slice(0, 3).findIndex((a) => path.basename(a) === 'celery');
  if (at < 0) return null;
  const rest = argv.slice(at + 1);
  if (rest.includes('beat')) return 'celery-beat';
  return rest.includes('worker') ? 'celery-worker' : null;
}

function isCatmaidTui(argv: string[]): boolean {
  return argv.slice(0, 3).some((a) => /catmaid-tui/.test(path.basename(a)) || /catmaid-tui\/(bin|dist)\//.test(a));
}

/** The worker number uWSGI gives a process: from its stats server, else its title with auto-procname. */
function uwsgiWorker(facts: ProcessFacts, workerIds: ReadonlyMap<number, number>): string {
  const id = workerIds.get(facts.pid) ?? Number(/^uWSGI worker (\d+)/.exec(facts.argv.join(' '))?.[1] ?? NaN);
  if (Number.isFinite(id)) return `uwsgi worker ${id}`;
  if (/^uWSGI master/.test(facts.argv[0] ?? '')) return 'uwsgi master';
  return 'uwsgi';
}

/** Options of node and python that take the next argument as their value. */
const TAKES_VALUE = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--conditions', '-C', '-W', '-X']);

/** The script an interpreter runs: the first argument that is neither an option nor an option's value. */
function scriptOf(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '-m') return args[i + 1];
    if (TAKES_VALUE.has(args[i])) i += 1;
    else if (!args[i].startsWith('-')) return args[i];
  }
  return undefined;
}

export interface LabelContext {
  /** uWSGI worker ids by pid, from its stats server. */
  uwsgiWorkers?: ReadonlyMap<number, number>;
  /** catmaid-tui's own pid. */
  ownPid?: number;
}

export function labelProcess(facts: ProcessFacts, context: LabelContext = {}): ClientProcess {
  const user = facts.uid >= 0 ? userName(facts.uid) : '?';
  const base = { pid: facts.pid, ppid: facts.ppid, user };
  const argv = facts.argv;
  if (facts.pid === (context.ownPid ?? process.pid) || isCatmaidTui(argv)) {
    return { ...base, program: 'catmaid-tui', label: 'catmaid-tui' };
  }
  const server = /^uWSGI /.test(argv[0] ?? '') ? 'uwsgi' : classify(argv);
  if (server === 'uwsgi') return { ...base, program: 'uwsgi', label: uwsgiWorker(facts, context.uwsgiWorkers ?? new Map()) };
  if (server) return { ...base, program: server, label: server === 'gunicorn' && facts.ppid > 1 ? 'gunicorn worker' : server };
  const celery = celeryKind(argv);
  if (celery) return { ...base, program: celery, label: celery === 'celery-beat' ? 'celery beat' : 'celery worker' };
  const exe = path.basename(argv[0] ?? '?');
  if (exe === 'psql') return { ...base, program: 'psql', label: `psql (${user})` };
  const script = INTERPRETERS.test(exe) ? scriptOf(argv.slice(1)) : undefined;
  return { ...base, program: 'other', label: `${exe}${script ? ` ${path.basename(script)}` : ''} (${user})` };
}
