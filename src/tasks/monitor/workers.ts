import fs from 'node:fs';
import path from 'node:path';
import { findServerProcesses } from '../instance/processes.js';
import type { ServerProcess } from '../instance/types.js';

/**
 * How many WSGI worker threads serve the instance, i.e. how many connections the CATMAID role should hold with
 * persistent connections. Masters fork workers: the workers are the server processes whose parent is one too;
 * a lone process (runserver, uwsgi without master) is one worker. Each worker runs `--threads` threads.
 */
export interface WorkerCount {
  /** Worker processes × threads; null when no server process was found. */
  workers: number | null;
  processes: number;
  threads: number;
  kinds: ServerProcess['kind'][];
}

export function parentPid(pid: number, proc = '/proc'): number | null {
  try {
    const stat = fs.readFileSync(path.join(proc, String(pid), 'stat'), 'utf8');
    // The command name in parentheses may hold spaces and ')': the fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return null;
  }
}

/** `--threads 4`, `--threads=4` (gunicorn and uwsgi). */
export function threadsOf(command: string): number {
  const match = /(?:^|\s)--threads(?:=|\s+)(\d+)/.exec(command);
  return match ? Math.max(1, Number(match[1])) : 1;
}

/** `--workers N`, `-w N` (gunicorn), `--processes N`, `-p N` (uwsgi): what a master says it will fork. */
export function declaredWorkers(command: string): number | null {
  const match = /(?:^|\s)(?:--workers|--processes|-w|-p)(?:=|\s+)(\d+)/.exec(command);
  return match ? Number(match[1]) : null;
}

export function countWorkers(servers: readonly ServerProcess[], parentOf: (pid: number) => number | null): WorkerCount {
  if (servers.length === 0) return { workers: null, processes: 0, threads: 1, kinds: [] };
  const pids = new Set(servers.map((s) => s.pid));
  const children = servers.filter((s) => {
    const parent = parentOf(s.pid);
    return parent !== null && pids.has(parent);
  });
  const masters = servers.filter((s) => !children.includes(s));
  let processes = children.length;
  if (processes === 0) {
    // Masters without children yet (starting up) or single-process servers: trust what they were told.
    processes = masters.reduce((sum, s) => sum + (declaredWorkers(s.command) ?? 1), 0);
  }
  const threads = Math.max(...servers.map((s) => threadsOf(s.command)));
  return { workers: processes * threads, processes, threads, kinds: [...new Set(servers.map((s) => s.kind))] };
}

/** The instance's worker threads, read from the process table now. */
export function findWorkers(root: string, proc = '/proc'): WorkerCount {
  return countWorkers(findServerProcesses(root, proc), (pid) => parentPid(pid, proc));
}
