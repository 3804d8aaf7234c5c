/**
 * One look at the server's connections: `takeSnapshot(client, options)`.
 *
 *   const snap = await takeSnapshot(client, { role: 'catmaid_user' });
 *   snap.counts.role      // the CATMAID role's connections in this database, the caller's own left out
 *   snap.sessions         // every other client backend, with state, ages, query and blocking pids
 *   snap.stats            // pg_stat_database counters for rates (see rates.ts); `stats: false` skips them
 *
 * Two round trips: one scan of pg_stat_activity for sessions and counts, then the stats (with the database size
 * only when `size` is asked for). Works with any connected pg.Client; it changes nothing on the server.
 */
import type pg from 'pg';
import { countSessions } from './counts.js';
import { ACTIVITY_SQL, STATS_SQL, STATS_WITH_SIZE_SQL, SERVER_INFO_SQL } from './queries.js';
import { replicationOf } from './replication.js';
import type { ServerInfo, Session, Snapshot, StatsSample } from './types.js';
import { horizonsOf } from './xmin.js';

export interface SnapshotOptions {
  /** The CATMAID role, counted apart (counts.role). */
  role?: string;
  /** Every database of the cluster instead of the connected one. */
  allDatabases?: boolean;
  /** Also read pg_stat_database (default true). */
  stats?: boolean;
  /** Also read the database size (default false: it walks the files). */
  size?: boolean;
}

type Row = Record<string, unknown>;

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const strOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** The client as a person reads it: the address without /32, 'local' for the unix socket, null when hidden. */
function clientOf(row: Row): string | null {
  if (row.client_addr !== null && row.client_addr !== undefined) return String(row.client_addr).replace(/\/(32|128)$/, '');
  return Number(row.client_port) === -1 ? 'local' : null;
}

function sessionOf(row: Row): Session {
  return {
    pid: num(row.pid),
    user: strOrNull(row.user),
    app: String(row.app ?? ''),
    client: clientOf(row),
    clientPort: row.client_port === null || row.client_port === undefined || Number(row.client_port) < 0 ? null : Number(row.client_port),
    database: strOrNull(row.database),
    state: strOrNull(row.state),
    waitEventType: strOrNull(row.wait_event_type),
    waitEvent: strOrNull(row.wait_event),
    xactAge: numOrNull(row.xact_age),
    queryAge: numOrNull(row.query_age),
    backendAge: numOrNull(row.backend_age),
    query: strOrNull(row.query),
    blockedBy: Array.isArray(row.blocked_by) ? row.blocked_by.map(Number) : [],
    xminAge: numOrNull(row.xmin_age),
    process: null,
  };
}

export function statsOf(row: Row): StatsSample {
  const sample: StatsSample = {
    at: Math.round(num(row.at_epoch) * 1000),
    xacts: num(row.xacts),
    blksHit: num(row.blks_hit),
    blksRead: num(row.blks_read),
    horizon: horizonsOf(row.oldest_prepared, row.oldest_slot),
    replication: replicationOf(row.in_recovery, row.standbys, row.standby),
  };
  if (row.size_bytes !== undefined) sample.sizeBytes = num(row.size_bytes);
  return sample;
}

export async function takeSnapshot(client: pg.Client, options: SnapshotOptions = {}): Promise<Snapshot> {
  const { rows } = await client.query<Row>(ACTIVITY_SQL);
  const all = rows.map(sessionOf);
  // Which rows belong to the connected database: kept beside the sessions, which are what scripts get as JSON.
  const here = options.allDatabases ? null : rows.map((row) => row.here === true);
  const ownPid = (client as unknown as { processID?: number }).processID ?? 0;
  const snapshot: Snapshot = {
    takenAt: Date.now(),
    ownPid,
    counts: countSessions(all, options.role, here),
    sessions: (here ? all.filter((_, i) => here[i]) : all).sort((a, b) => a.pid - b.pid),
  };
  if (options.stats !== false) snapshot.stats = await readStats(client, options.size === true);
  return snapshot;
}

export async function readStats(client: pg.Client, size = false): Promise<StatsSample> {
  const { rows } = await client.query<Row>(size ? STATS_WITH_SIZE_SQL : STATS_SQL);
  return statsOf(rows[0]);
}

export async function readServerInfo(client: pg.Client): Promise<ServerInfo> {
  const { rows } = await client.query<Row>(SERVER_INFO_SQL);
  const row = rows[0];
  return {
    version: String(row.version).split(' ')[0],
    versionNum: num(row.version_num),
    startedAt: num(row.started_epoch),
    maxConnections: num(row.max_connections),
    reservedConnections: num(row.reserved_connections),
    ownPid: num(row.own_pid),
    role: String(row.role),
    database: String(row.database),
    superuser: row.superuser === true,
    readAllStats: row.read_all_stats === true,
    signalBackend: row.signal_backend === true,
    superusers: (row.superusers as string[] | null) ?? [],
    myRoles: (row.my_roles as string[] | null) ?? [],
  };
}
