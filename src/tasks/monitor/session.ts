import { clientConfig } from '../db/connect.js';
import type { DatabaseSettings } from '../instance/types.js';
import { signalBackend, type SignalKind } from './actions.js';
import { MonitorConnection, NotConnectedError, type ConnectionOptions, type ConnectionStatus } from './connection.js';
import { leakVerdict, type LeakPoint, type LeakVerdict } from './leak.js';
import { SESSION_SETUP_SQL } from './queries.js';
import { cacheHitSinceReset, ratesBetween, type Rates } from './rates.js';
import { Ring } from './ring.js';
import { readServerInfo, takeSnapshot } from './snapshot.js';
import { ProgramWatch } from './program-watch.js';
import type { ProgramCount } from './program-summary.js';
import { NO_REPLICATION, type Replication } from './replication.js';
import type { ServerInfo, Session, Snapshot, StatsSample } from './types.js';
import type { UwsgiStats } from './uwsgi-stats.js';
import type { WorkerCount } from './workers.js';
import { oldestHorizon, sessionHorizons, type Horizon, type HorizonVerdict } from './xmin.js';

/**
 * A running monitor without a screen: `refresh()` reads one snapshot over the reused connection and returns
 * everything the screen shows (rates, history, leak verdict, connection state). The hook calls it on a
 * timer; `monitor --once` calls it twice; it never throws for a server that went away.
 */
export interface MonitorOptions {
  db: DatabaseSettings;
  /** The CATMAID role (default: the settings' database user). */
  role?: string;
  connMaxAge: number | null;
  /** The instance root, to count its WSGI workers; none given → no workers. */
  root?: string;
  allDatabases?: boolean;
  /** Samples kept for the sparklines (default 300: 5 min at 1 s). */
  historySize?: number;
  sizeEveryMs?: number;
  /** How often the WSGI workers are counted (a scan of /proc; default 30 s). */
  workersEveryMs?: number;
  leakWindowMs?: number;
  /** Warn when the oldest xmin holder has held it longer than this (seconds; default 600). */
  horizonWarnSeconds?: number;
  /** Injected for tests: the server processes of a root (default: a /proc scan). */
  findServers?: ProgramWatchFindServers;
  connection?: ConnectionOptions;
}

type ProgramWatchFindServers = ConstructorParameters<typeof ProgramWatch>[0]['findServers'];

export interface History {
  total: number[];
  role: number[];
  active: number[];
}

export interface MonitorState {
  at: number;
  status: ConnectionStatus;
  server: ServerInfo | null;
  snapshot: Snapshot | null;
  rates: Rates;
  sizeBytes: number | null;
  workers: WorkerCount;
  connMaxAge: number | null;
  role: string;
  history: History;
  leak: LeakVerdict;
  /** Sessions per program against its threads. */
  programs: ProgramCount[];
  uwsgi: UwsgiStats | null;
  horizon: HorizonVerdict;
  replication: Replication;
}

/** Transactions the monitor runs per refresh: activity (one implicit transaction) and stats. */
const XACTS_PER_REFRESH = 2;

export class MonitorSession {
  private readonly connection: MonitorConnection;
  private server: ServerInfo | null = null;
  private previous: { stats: StatsSample; ownXacts: number } | undefined;
  private ownXacts = 0;
  private last: Snapshot | null = null;
  private sizeBytes: number | null = null;
  private sizeAt = 0;
  private readonly watch: ProgramWatch;
  private programs: ProgramCount[] = [];
  private horizons: Horizon[] = [];
  private replication: Replication = NO_REPLICATION;
  private rates: Rates = { tps: null, cacheHit: null };
  private readonly total: Ring<number>;
  private readonly role: Ring<number>;
  private readonly active: Ring<number>;
  private readonly points: Ring<LeakPoint>;
  readonly roleName: string;

  constructor(private readonly options: MonitorOptions) {
    this.roleName = options.role ?? options.db.user;
    const size = options.historySize ?? 300;
    this.total = new Ring(size);
    this.role = new Ring(size);
    this.active = new Ring(size);
    this.points = new Ring(Math.max(size, 720));
    this.watch = new ProgramWatch({ port: options.db.port, root: options.root, serversEveryMs: options.workersEveryMs,
      findServers: options.findServers });
    this.connection = new MonitorConnection(clientConfig(options.db, { application_name: 'catmaid-tui monitor' }), {
      ...options.connection,
      onConnect: async (client) => {
        await client.query(SESSION_SETUP_SQL);
        this.server = await readServerInfo(client);
        this.ownXacts += 1;
        // Counters from before a restart are not comparable with the new ones.
        this.previous = undefined;
      },
    });
  }

  async refresh(): Promise<MonitorState> {
    const now = Date.now();
    const wantSize = now - this.sizeAt >= (this.options.sizeEveryMs ?? 30_000);
    try {
      const snapshot = await this.connection.run((client) =>
        takeSnapshot(client, { role: this.roleName, allDatabases: this.options.allDatabases, size: wantSize }));
      this.ownXacts += XACTS_PER_REFRESH;
      await this.watch.label(snapshot.sessions, now);
      this.programs = this.watch.programs(snapshot.sessions);
      this.record(snapshot, wantSize);
    } catch (err) {
      if (!(err instanceof NotConnectedError)) throw err;
    }
    return this.state();
  }

  private record(snapshot: Snapshot, sized: boolean): void {
    const stats = snapshot.stats;
    if (stats) {
      const before = this.previous;
      // The stats query of this refresh is not in its own sample yet; it counts towards the next delta.
      this.rates = before
        ? ratesBetween(before.stats, stats, this.ownXacts - before.ownXacts)
        : { tps: null, cacheHit: cacheHitSinceReset(stats) };
      this.previous = { stats, ownXacts: this.ownXacts };
      this.horizons = stats.horizon ?? [];
      this.replication = stats.replication ?? NO_REPLICATION;
      if (sized && stats.sizeBytes !== undefined) {
        this.sizeBytes = stats.sizeBytes;
        this.sizeAt = snapshot.takenAt;
      }
    }
    this.last = snapshot;
    this.total.push(snapshot.counts.total);
    this.role.push(snapshot.counts.role);
    this.active.push(snapshot.counts.active);
    this.points.push({ at: snapshot.takenAt, role: snapshot.counts.role, workers: this.watch.workers.workers });
  }

  state(): MonitorState {
    return {
      at: Date.now(),
      status: this.connection.status(),
      server: this.server,
      snapshot: this.last,
      rates: this.rates,
      sizeBytes: this.sizeBytes,
      workers: this.watch.workers,
      connMaxAge: this.options.connMaxAge,
      role: this.roleName,
      history: { total: this.total.values(), role: this.role.values(), active: this.active.values() },
      leak: leakVerdict(this.points.values(), {
        connMaxAge: this.options.connMaxAge,
        role: this.roleName,
        windowMs: this.options.leakWindowMs,
      }),
      programs: this.programs,
      uwsgi: this.watch.uwsgi,
      horizon: oldestHorizon([...sessionHorizons(this.last?.sessions ?? []), ...this.horizons],
        this.options.horizonWarnSeconds ?? 600),
      replication: this.replication,
    };
  }

  /** pg_cancel_backend / pg_terminate_backend over the same connection, checked against the role's rights. */
  async signal(target: Pick<Session, 'pid' | 'user'>, kind: SignalKind): Promise<boolean> {
    const server = this.server;
    if (!server) throw new NotConnectedError(this.connection.status());
    this.ownXacts += 1;
    return this.connection.run((client) => signalBackend(client, server, target, kind));
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
