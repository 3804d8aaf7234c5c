import type { ProgramKind } from './programs.js';
import type { Session } from './types.js';
import type { UwsgiStats } from './uwsgi-stats.js';
import type { WorkerCount } from './workers.js';

/**
 * Sessions per program against what the program can use at once: with persistent connections, uWSGI's
 * sessions should match its threads; many more mean leaks, far fewer mean workers without a connection yet.
 * uWSGI's stats server adds busy/idle workers and requests served.
 */
export interface ProgramCount {
  /** "uwsgi", "daphne", "celery worker", "psql (alice)", "other", "remote". */
  name: string;
  program: ProgramKind | 'remote' | 'unknown';
  sessions: number;
  /** Threads that may hold a connection each (uWSGI/gunicorn), when known. */
  threads: number | null;
  busy: number | null;
  idle: number | null;
  requests: number | null;
}

const ORDER: (ProgramKind | 'remote' | 'unknown')[] = [
  'uwsgi', 'gunicorn', 'runserver', 'daphne', 'celery-worker', 'celery-beat', 'psql', 'catmaid-tui', 'other', 'remote', 'unknown',
];

function nameOf(s: Session): { name: string; program: ProgramCount['program'] } {
  const p = s.process;
  if (!p) return s.client === 'local' || s.client === '127.0.0.1' || s.client === '::1'
    ? { name: 'unknown', program: 'unknown' }
    : { name: 'remote', program: 'remote' };
  if (p.program === 'psql') return { name: p.label, program: p.program };
  if (p.program === 'other') return { name: 'other', program: 'other' };
  return { name: p.program.startsWith('celery-') ? p.program.replace('-', ' ') : p.program, program: p.program };
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function summarizePrograms(sessions: readonly Session[], workers: WorkerCount, stats: UwsgiStats | null): ProgramCount[] {
  const counts = new Map<string, ProgramCount>();
  for (const s of sessions) {
    const { name, program } = nameOf(s);
    const entry = counts.get(name) ?? { name, program, sessions: 0, threads: null, busy: null, idle: null, requests: null };
    entry.sessions += 1;
    counts.set(name, entry);
  }
  const web = workers.kinds.find((k) => k === 'uwsgi' || k === 'gunicorn');
  if (stats && stats.workers.length > 0) {
    const entry = counts.get('uwsgi') ?? { name: 'uwsgi', program: 'uwsgi', sessions: 0, threads: null, busy: null, idle: null, requests: null };
    entry.threads = stats.workers.reduce((sum, w) => sum + w.threads, 0);
    entry.busy = stats.workers.filter((w) => w.status === 'busy' || w.busyThreads > 0).length;
    entry.idle = stats.workers.filter((w) => w.status === 'idle' && w.busyThreads === 0).length;
    entry.requests = stats.workers.reduce((sum, w) => sum + w.requests, 0);
    counts.set('uwsgi', entry);
  } else if (web && workers.workers !== null) {
    const entry = counts.get(web) ?? { name: web, program: web, sessions: 0, threads: null, busy: null, idle: null, requests: null };
    entry.threads = workers.workers;
    counts.set(web, entry);
  }
  // Plain code-point order: localeCompare would page in ICU's collation data (about 3 MB resident) for this.
  return [...counts.values()].sort((a, b) => ORDER.indexOf(a.program) - ORDER.indexOf(b.program) || byText(a.name, b.name));
}

/** `uwsgi 4/8 threads (busy 1, idle 7, 1203 req) · daphne 2 · psql (alice) 1`. */
export function programLine(counts: readonly ProgramCount[]): string {
  return counts.map((c) => {
    if (c.threads === null) return `${c.name} ${c.sessions}`;
    const extra = c.busy !== null ? ` (busy ${c.busy}, idle ${c.idle}, ${c.requests} req)` : '';
    return `${c.name} ${c.sessions}/${c.threads} threads${extra}`;
  }).join(' · ');
}
