import type { Session } from './types.js';

/**
 * Who blocks whom, as a tree (pg_blocking_pids): the roots are sessions that block others while waiting for
 * nobody themselves (usually idle in transaction); each waiter hangs under the first pid that blocks it. A
 * waiter blocked by several pids is listed once, under one that waits itself if any (it is queued behind it),
 * else under the first, with the others named in `alsoBlockedBy`.
 */
export interface BlockingNode {
  session: Session;
  depth: number;
  /** Box-drawing prefix: "", "├─ ", "│   └─ " … */
  prefix: string;
  alsoBlockedBy: number[];
  /** Sessions below this one, at any depth. */
  blocks: number;
}

export interface BlockingTree {
  /** Depth-first, in the order the tree is drawn. */
  nodes: BlockingNode[];
  roots: Session[];
}

export function blockingTree(sessions: readonly Session[]): BlockingTree {
  const byPid = new Map(sessions.map((s) => [s.pid, s]));
  const children = new Map<number, Session[]>();
  const parents = new Map<number, number>();
  const placed = new Set<number>();
  for (const s of sessions) {
    // Queued behind another waiter as well as the holder: hang it under the waiter, so the chain shows.
    const others = s.blockedBy.filter((pid) => pid !== s.pid);
    const parent = others.find((pid) => (byPid.get(pid)?.blockedBy.length ?? 0) > 0) ?? others[0];
    if (parent === undefined) continue;
    parents.set(s.pid, parent);
    const list = children.get(parent) ?? [];
    list.push(s);
    children.set(parent, list);
  }
  // Roots: blockers that wait for nobody, plus blockers we cannot see (another database) as stand-ins.
  const rootPids = [...children.keys()].filter((pid) => {
    const s = byPid.get(pid);
    return !s || s.blockedBy.length === 0;
  });
  const nodes: BlockingNode[] = [];
  const roots: Session[] = [];
  const count = (pid: number, seen: Set<number>): number =>
    (children.get(pid) ?? []).reduce((sum, c) => (seen.has(c.pid) ? sum : (seen.add(c.pid), sum + 1 + count(c.pid, seen))), 0);
  const walk = (session: Session, depth: number, lead: string, last: boolean): void => {
    if (placed.has(session.pid)) return;
    placed.add(session.pid);
    const prefix = depth === 0 ? '' : `${lead}${last ? '└─ ' : '├─ '}`;
    nodes.push({ session, depth, prefix, alsoBlockedBy: session.blockedBy.filter((p) => p !== parents.get(session.pid)),
      blocks: count(session.pid, new Set([session.pid])) });
    const kids = (children.get(session.pid) ?? []).filter((c) => !placed.has(c.pid)).sort((a, b) => a.pid - b.pid);
    kids.forEach((child, i) => walk(child, depth + 1, depth === 0 ? '' : `${lead}${last ? '   ' : '│  '}`, i === kids.length - 1));
  };
  for (const pid of rootPids.sort((a, b) => a - b)) {
    const session = byPid.get(pid) ?? stranger(pid);
    roots.push(session);
    walk(session, 0, '', true);
  }
  // A cycle (a deadlock the server has not broken yet) has no root: show it from its lowest pid.
  for (const s of sessions) {
    if (!placed.has(s.pid) && children.has(s.pid)) {
      roots.push(s);
      walk(s, 0, '', true);
    }
  }
  return { nodes, roots };
}

/** A blocker that is not among the sessions shown (another database, or hidden). */
function stranger(pid: number): Session {
  return {
    pid, user: null, app: '', client: null, clientPort: null, database: null, state: null, waitEventType: null,
    waitEvent: null, xactAge: null, queryAge: null, backendAge: null, query: null, blockedBy: [], xminAge: null,
    process: null,
  };
}
