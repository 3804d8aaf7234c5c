/** What the sandbox API reports about one sandbox. Never holds the database password. */
export interface SandboxInfo {
  /** DIR */
  dir: string;
  /** DIR/catmaid: the instance root (catmaid-tui's --catmaid-dir). */
  root: string;
  /** DIR/origin.git */
  origin: string;
  /** DIR/pg: the cluster's data directory. */
  pgDir: string;
  /** The unix socket directory. */
  socketDir: string;
  host: string;
  port: number;
  database: string;
  user: string;
  running: boolean;
  pid: number | null;
  /** Major version of the server binaries used. */
  pgVersion: number;
  /** The OS/DB user owning the cluster ('postgres' when we are root). */
  superuser: string;
  /** The flavour whose virtualenv cannot import the settings (only Django and psycopg2 in it). */
  brokenVenv: boolean;
  /** CATMAID's services (supervisord, uWSGI, daphne, celery, nginx); null until started once. */
  services: ServicesInfo | null;
}

/** Paths and address of a sandbox's services (issue 14 §1): what tests and other tools drive them with. */
export interface ServicesInfo {
  /** supervisord and nginx both run. */
  running: boolean;
  supervisorConf: string;
  supervisorSocket: string;
  nginx: { binary: string; prefix: string; conf: string; siteFile: string; port: number; pidFile: string };
  /** http://127.0.0.1:<port>/catmaid/ */
  url: string;
  uwsgiSocket: string;
  uwsgiStats: string;
  daphneSocket: string;
  /** The static page nginx answers with (status 502/503) while uWSGI is down. */
  maintenancePage: string;
}

export type SandboxSize = 'small' | 'large';

export interface CreateOptions {
  size?: SandboxSize;
  /** Also start CATMAID's services (uWSGI, daphne, celery worker and beat under supervisord, nginx). */
  services?: boolean;
  /** Break the virtualenv after the database is built, so that the settings can only be read statically. */
  brokenVenv?: boolean;
  onProgress?: (step: string) => void;
}

/** DIR/sandbox.json: what start/stop/status/destroy need, written before anything else is built. */
export interface SandboxState {
  kind: 'catmaid-tui-sandbox';
  formatVersion: 1;
  dir: string;
  root: string;
  origin: string;
  pgDir: string;
  socketDir: string;
  logFile: string;
  host: string;
  port: number;
  database: string;
  user: string;
  pgVersion: number;
  superuser: string;
  size: SandboxSize;
  /** Absent in sandboxes made before the flavour existed: false. */
  brokenVenv?: boolean;
  /** False until create finished: a half-built sandbox can still be destroyed. */
  complete: boolean;
  /** Set once the services were started: nginx's port (it moves when taken). */
  services?: { port: number };
}
