import type { PostgisStatus } from '../db/postgis.js';
import type { SslStatus } from '../ssl/status.js';

/**
 * The checkup's vocabulary. A check is advice with its evidence: what was measured (`current`), what to set
 * (`suggested`), why, the exact change (`fix`, applied by `checkup --apply ID`) and where the rule comes from.
 */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'info';
export type CheckGroup = 'database' | 'django' | 'web' | 'os';

export const GROUP_TITLES: Record<CheckGroup, string> = {
  database: 'Database',
  django: 'Django',
  web: 'Web server',
  os: 'OS',
};

/** The exact change a check suggests; `manual` fixes are shown but never applied by catmaid-tui. */
export type Fix =
  | { kind: 'alter-system'; parameter: string; value: string; text: string }
  | { kind: 'alter-role'; role: string; settings: [string, string][]; statements: string[]; text: string }
  | { kind: 'sql'; statements: string[]; text: string }
  | { kind: 'settings'; blockId: string; lines: string[]; text: string }
  /** Statements the CATMAID role may not run: run in each database as the cluster's superuser (root on its host). */
  | { kind: 'superuser-sql'; databases: string[]; statements: string[]; text: string }
  | { kind: 'manual'; text: string };

export interface Check {
  id: string;
  group: CheckGroup;
  /** Short label for the list, e.g. 'shared_buffers'. */
  title: string;
  status: CheckStatus;
  current: string;
  suggested: string | null;
  why: string;
  fix: Fix | null;
  source: string;
  /** Where this advice differs from the CATMAID admin manual's performance page, and why. */
  differsFromOldPage?: string;
  /** The sampled connection counts (django.conn_max_age). */
  series?: number[];
}

/** One row of pg_settings, as the rules need it. */
export interface PgSetting {
  name: string;
  setting: string;
  unit: string | null;
  context: string;
  vartype: string;
  source: string;
  minVal: string | null;
  maxVal: string | null;
  enumvals: string[] | null;
}

export interface TableStats {
  schema: string;
  table: string;
  liveTuples: number;
  deadTuples: number;
  modSinceAnalyze: number;
  /** ISO time of the newest ANALYZE (manual or auto), null when never. */
  lastAnalyze: string | null;
  /**
   * For a parent of an inheritance tree (CATMAID's `location` of `treenode` and `connector`): the rows its
   * children hold, and whether statistics of the tree as a whole exist (pg_stats.inherited).
   */
  inheritance?: { childRows: number; treeAnalyzed: boolean };
}

export interface PostgresFacts {
  reachable: boolean;
  error?: string;
  versionNum?: number;
  role: string;
  database: string;
  settings: Record<string, PgSetting>;
  /** `name=value` entries from pg_db_role_setting for the role (all databases and this one). */
  roleSettings: string[];
  tables: TableStats[];
  /** From `SHOW shared_memory_size_in_huge_pages` (PostgreSQL 15+). */
  hugePagesNeeded: number | null;
  dataDirectory: string | null;
}

export interface MemoryFacts {
  totalBytes: number;
  availableBytes: number;
}

export interface KernelFacts {
  shmmax: number | null;
  shmall: number | null;
  pageSize: number;
  nrHugepages: number | null;
  hugepageSizeKb: number | null;
}

export interface DiskFacts {
  /** true = spinning disk; null = unknown (remote database, unreadable data directory). */
  rotational: boolean | null;
  device: string | null;
}

export interface MountEntry {
  device: string;
  mountPoint: string;
  fsType: string;
  options: string[];
}

export interface NginxFacts {
  installed: boolean;
  ok: boolean;
  error?: string;
  version?: string;
  files: { file: string; content: string }[];
}

export interface DjangoFacts {
  debug: boolean;
  allowedHosts: string[];
  /** Seconds; null = forever. */
  connMaxAge: number | null;
  settingsSource: 'django' | 'static';
}

export interface WorkerFacts {
  /** WSGI worker threads that may each hold a connection; null = unknown. */
  count: number | null;
  source: 'option' | 'processes' | 'none';
  detail: string;
}

export interface ConnectionSamples {
  /** Connections of the CATMAID role without catmaid-tui's own, one per sample. */
  series: number[];
  /** Of those, sessions with an application name (psql, pgAdmin …): the admin's, not the WSGI workers'. */
  adminSessions: number;
  intervalSeconds: number;
}

/** Everything the rules look at, gathered before any rule runs. */
export interface CheckupInputs {
  memory: MemoryFacts | null;
  /** --db-ram, in bytes. */
  dbRamBytes: number | null;
  dbLocal: boolean;
  dbHost: string;
  kernel: KernelFacts | null;
  postgres: PostgresFacts;
  disk: DiskFacts;
  django: DjangoFacts;
  workers: WorkerFacts;
  samples: ConnectionSamples | null;
  nginx: NginxFacts;
  mounts: MountEntry[];
  tilesPath: string | null;
  nsswitch: string | null;
  /** The certificate nginx serves for CATMAID and certbot's schedule (ssl.* checks); absent when not read. */
  ssl?: SslStatus | null;
  /** PostGIS in every database of the cluster (pg.postgis); absent when not gathered. */
  postgis?: PostgisStatus | { error: string };
}

export interface CheckupReport {
  schema: 'catmaid-tui/checkup@1';
  instance: string;
  startedAt: string;
  /** Wall time of the checks, without the sampling window. */
  checkMs: number;
  sampling: { samples: number; intervalSeconds: number; series: number[]; adminSessions: number } | null;
  summary: Record<CheckStatus, number>;
  checks: Check[];
}
