import os from 'node:os';
import { labelProcess, processFacts, type ClientProcess } from './programs.js';
import { socketInodesOf, socketOwners, tcpEnds } from './proc-net.js';
import type { Session } from './types.js';
import { unixPairs, type UnixPair } from './unix-peers.js';

/**
 * Which local process holds each session: client address and port → the client's socket inode in
 * /proc/net/tcp{,6} → the process holding that inode in /proc/<pid>/fd. Sessions whose client PostgreSQL hides
 * (another role's) and unix-socket sessions go through the backend's own socket (its fds are readable by root
 * or postgres): over TCP to the address it is connected to, over the unix socket to its peer (from `ss -x`).
 *
 * A session's process never changes, so each is looked up once and remembered while the session lives; the
 * processes already known to hold sessions are searched before all of /proc (a uWSGI worker opening a new
 * connection is found without a full scan). Sessions that cannot be mapped (a remote client, another user's
 * process without root) are tried `maxTries` times and then left unlabelled.
 */
export interface ProcessMapOptions {
  /** The port PostgreSQL listens on (for TCP and for the name of its socket file). */
  port: number;
  proc?: string;
  /** uWSGI worker ids by pid (from its stats server), for "uwsgi worker N". */
  uwsgiWorkers?: () => ReadonlyMap<number, number>;
  unixPairs?: (port: number) => Promise<UnixPair[]>;
  maxTries?: number;
}

interface Entry {
  process: ClientProcess | null;
  tries: number;
}

/** Addresses of this machine: a session from any other address has no process here. */
export function localAddresses(): Set<string> {
  const found = new Set(['127.0.0.1', '::1']);
  for (const list of Object.values(os.networkInterfaces())) for (const nic of list ?? []) found.add(nic.address);
  return found;
}

const keyOf = (s: Session): string => `${s.pid}:${s.clientPort ?? ''}`;

export class ProcessMap {
  private readonly known = new Map<string, Entry>();
  private readonly local = localAddresses();
  private readonly proc: string;

  constructor(private readonly options: ProcessMapOptions) {
    this.proc = options.proc ?? '/proc';
  }

  /** Every session's process (null where none can be found); sessions that ended are forgotten. */
  async map(sessions: readonly Session[]): Promise<Map<number, ClientProcess | null>> {
    const live = new Set(sessions.map(keyOf));
    for (const key of this.known.keys()) if (!live.has(key)) this.known.delete(key);
    const pending = sessions.filter((s) => {
      const entry = this.known.get(keyOf(s));
      return this.mayBeHere(s) && (!entry || (entry.process === null && entry.tries < (this.options.maxTries ?? 3)));
    });
    if (pending.length > 0) await this.resolve(pending);
    const result = new Map<number, ClientProcess | null>();
    for (const s of sessions) result.set(s.pid, this.known.get(keyOf(s))?.process ?? null);
    return result;
  }

  /** A session whose client is hidden (another role's, without pg_read_all_stats) may still be found by its backend. */
  private mayBeHere(s: Session): boolean {
    return s.client === null || s.client === 'local' || this.local.has(s.client);
  }

  private async resolve(pending: Session[]): Promise<void> {
    // inode of the client end → the session waiting for it
    const wanted = new Map<number, Session>();
    const tcp = tcpEnds(this.options.port, this.proc);
    const byBackend: Session[] = [];
    for (const s of pending) {
      const inode = s.clientPort !== null ? tcp.clients.get(`${s.client}:${s.clientPort}`) : undefined;
      if (inode) wanted.set(inode, s);
      else byBackend.push(s);
    }
    // The backend's own socket (readable by root or postgres) leads to the client end: over TCP through the
    // address it is connected to, over the unix socket through its peer.
    let peers: Map<number, number> | null = null;
    for (const s of byBackend) {
      for (const inode of socketInodesOf(s.pid, this.proc)) {
        const address = tcp.servers.get(inode);
        let client = address === undefined ? undefined : tcp.clients.get(address);
        if (client === undefined && address === undefined) {
          peers ??= new Map((await (this.options.unixPairs ?? unixPairs)(this.options.port)).map((p) => [p.server, p.client]));
          client = peers.get(inode);
        }
        if (client !== undefined) {
          wanted.set(client, s);
          break;
        }
      }
    }
    const owners = this.owners(new Set(wanted.keys()), new Set(pending.map((s) => s.pid)));
    const uwsgiWorkers = this.options.uwsgiWorkers?.() ?? new Map<number, number>();
    const found = new Map<Session, ClientProcess>();
    for (const [inode, pid] of owners) {
      const facts = processFacts(pid, this.proc);
      if (facts) found.set(wanted.get(inode)!, labelProcess(facts, { uwsgiWorkers }));
    }
    for (const s of pending) {
      const entry = this.known.get(keyOf(s)) ?? { process: null, tries: 0 };
      this.known.set(keyOf(s), { process: found.get(s) ?? null, tries: entry.tries + 1 });
    }
  }

  /** The processes already known to hold sessions first, then every process if some inodes are still missing. */
  private owners(wanted: Set<number>, backends: Set<number>): Map<number, number> {
    const owners = new Map<number, number>();
    const likely = new Set<number>();
    for (const entry of this.known.values()) if (entry.process) likely.add(entry.process.pid);
    for (const pid of likely) {
      for (const inode of socketInodesOf(pid, this.proc)) if (wanted.has(inode)) owners.set(inode, pid);
    }
    if (owners.size === wanted.size) return owners;
    const rest = new Set([...wanted].filter((inode) => !owners.has(inode)));
    for (const [inode, pid] of socketOwners(rest, new Set([...backends, ...likely]), this.proc)) owners.set(inode, pid);
    return owners;
  }

  /** Labels depend on the uWSGI worker ids; when those arrive later, label the known processes again. */
  relabel(): void {
    const uwsgiWorkers = this.options.uwsgiWorkers?.() ?? new Map<number, number>();
    for (const entry of this.known.values()) {
      if (entry.process?.program !== 'uwsgi') continue;
      const facts = processFacts(entry.process.pid, this.proc);
      if (facts) entry.process = labelProcess(facts, { uwsgiWorkers });
    }
  }
}
