import { withClient } from '../db/connect.js';
import type { DatabaseSettings } from '../instance/types.js';
import { ProgramWatch } from './program-watch.js';
import { processFacts, type ProgramKind } from './programs.js';
import { takeSnapshot } from './snapshot.js';
import type { Session } from './types.js';

/**
 * What a restart of some of CATMAID's programs would cut: their database sessions, and among them the ones in
 * the middle of a query or a transaction (those lose work; idle ones only reconnect). The update wizard and
 * the Services key show this before they restart anything.
 *
 *   const impact = await restartImpact({ db, root, programs: ['uwsgi', 'celery-worker'] });
 *   impact.sessions   // every session of those programs, labelled ("uwsgi worker 3", pid 4211)
 *   impact.running    // those with a running query or an open transaction
 */
export interface RestartTarget {
  /** Programs by kind (the monitor's labels: 'uwsgi', 'daphne', 'celery-worker', 'celery-beat', …). */
  programs?: readonly ProgramKind[];
  /** Or by process: supervisord's or systemd's main pids; their children count too. */
  pids?: readonly number[];
}

export interface RestartImpact {
  sessions: Session[];
  running: Session[];
  /** Sessions whose process could not be told (remote, or not readable without root): maybe cut, maybe not. */
  unknown: number;
}

/** Working: a query running, or a transaction open (idle in transaction loses its work too). */
export function isWorking(s: Session): boolean {
  return s.state === 'active' || s.state === 'fastpath function call' || (s.state?.startsWith('idle in transaction') ?? false);
}

function descendsFrom(pid: number, roots: ReadonlySet<number>, parentOf: (pid: number) => number | null): boolean {
  for (let p: number | null = pid, hops = 0; p !== null && p > 1 && hops < 32; hops += 1) {
    if (roots.has(p)) return true;
    p = parentOf(p);
  }
  return false;
}

/** The pure part: which of the labelled sessions a restart of `target` cuts. */
export function sessionsCut(sessions: readonly Session[], target: RestartTarget,
  parentOf: (pid: number) => number | null = (pid) => processFacts(pid)?.ppid ?? null): RestartImpact {
  const kinds = new Set(target.programs ?? []);
  const roots = new Set(target.pids ?? []);
  const cut = sessions.filter((s) => s.process !== null &&
    (kinds.has(s.process.program) || (roots.size > 0 && descendsFrom(s.process.pid, roots, parentOf))));
  const unknown = sessions.filter((s) => s.process === null && s.client !== null).length;
  return { sessions: cut, running: cut.filter(isWorking), unknown };
}

/** Look now: one snapshot of the instance's database, each session mapped to its process. */
export async function restartImpact(options: { db: DatabaseSettings; root?: string } & RestartTarget): Promise<RestartImpact> {
  const sessions = await withClient(options.db, async (client) => (await takeSnapshot(client, { stats: false })).sessions,
    { application_name: 'catmaid-tui restart check' });
  // With the root, uWSGI's stats server (found from its command line) numbers the workers.
  await new ProgramWatch({ port: options.db.port, root: options.root }).label(sessions);
  return sessionsCut(sessions, options);
}
