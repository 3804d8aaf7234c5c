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
}

export type SandboxSize = 'small' | 'large';

export interface CreateOptions {
  size?: SandboxSize;
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
}
