/** What one refresh of the monitor reads. Plain data: printed as JSON by `monitor --once --json`. */
import type { ClientProcess } from './programs.js';
import type { Horizon } from './xmin.js';
import type { Replication } from './replication.js';

export interface ServerInfo {
  version: string;
  versionNum: number;
  /** Seconds since the epoch. */
  startedAt: number;
  maxConnections: number;
  reservedConnections: number;
  ownPid: number;
  role: string;
  database: string;
  superuser: boolean;
  /** Without it PostgreSQL hides other roles' queries, states and clients. */
  readAllStats: boolean;
  signalBackend: boolean;
  superusers: string[];
  /** Roles whose privileges ours has (itself included): same-role backends may be signalled. */
  myRoles: string[];
}

export interface Counts {
  /** Client connections in scope (this database, or all with --all-databases), ours left out. */
  total: number;
  /** Client connections in the whole cluster: what counts against max_connections. */
  clusterTotal: number;
  active: number;
  idle: number;
  idleInTransaction: number;
  idleInTransactionAborted: number;
  /** Waiting on a lock (these are also counted as active). */
  waiting: number;
  /** State hidden by PostgreSQL (another role's session, no pg_read_all_stats). */
  hidden: number;
  /** The CATMAID role's connections. */
  role: number;
  roleActive: number;
}

export interface Session {
  pid: number;
  user: string | null;
  app: string;
  /** IP address, 'local' for the unix socket, null when hidden. */
  client: string | null;
  /** The client's TCP port; null for the unix socket or when hidden. */
  clientPort: number | null;
  database: string | null;
  state: string | null;
  waitEventType: string | null;
  waitEvent: string | null;
  /** Seconds, null outside a transaction or when hidden. */
  xactAge: number | null;
  queryAge: number | null;
  backendAge: number | null;
  query: string | null;
  /** Pids holding the lock this session waits for (empty when it waits for none). */
  blockedBy: number[];
  /** Transactions since the snapshot this session holds (age(backend_xmin)): what it keeps vacuum from removing. */
  xminAge: number | null;
  /** The local process at the other end and its program; null for remote or unreadable clients. */
  process: ClientProcess | null;
}

/** Cumulative counters of pg_stat_database at one moment (server clock). */
export interface StatsSample {
  /** Milliseconds since the epoch. */
  at: number;
  xacts: number;
  blksHit: number;
  blksRead: number;
  sizeBytes?: number;
  /** Prepared transactions and replication slots that hold the xmin horizon back (sessions are in Session). */
  horizon?: Horizon[];
  replication?: Replication;
}

export interface Snapshot {
  /** Milliseconds since the epoch, local clock. */
  takenAt: number;
  ownPid: number;
  counts: Counts;
  sessions: Session[];
  stats?: StatsSample;
}
