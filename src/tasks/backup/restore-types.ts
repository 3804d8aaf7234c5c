import type { DatabaseSettings } from '../instance/types.js';
import type { Session } from '../monitor/types.js';
import type { TaskLog } from '../task-log.js';
import type { BackupEvent, GitVersion } from './backup.js';
import type { BackupInspection } from './inspect.js';
import type { LockDecider, LockWait } from './lock-watch.js';
import type { ProgressFigures } from './progress.js';
import type { RebuildResult } from './rebuild-derived.js';

export type RestoreStep = 'verify' | 'safety-backup' | 'restore' | 'rebuild-derived';
export const RESTORE_STEPS: readonly RestoreStep[] = ['verify', 'safety-backup', 'restore', 'rebuild-derived'];

export type RestoreEvent =
  | { type: 'step'; step: RestoreStep; state: 'running' | 'done' | 'skipped'; detail?: string }
  | { type: 'warning'; message: string }
  | { type: 'safety-backup'; event: BackupEvent }
  /** Who else is connected to the database, before anything is changed (shown before the confirmation). */
  | { type: 'sessions'; sessions: Session[] }
  /** The load waits for a lock: who holds it. */
  | { type: 'lock-wait'; wait: LockWait }
  /** Of the step last reported running: bytes read while verifying, bytes fed to psql, tables of pg_restore. */
  | ({ type: 'progress'; table: string | null } & ProgressFigures);

export interface RestoreOptions {
  db: DatabaseSettings;
  file: string;
  /**
   * The instance's root: while the restore runs its source is pinned (kind `restore`), and its safety backup is
   * recorded as this instance's and pinned (kind `safety`) until the next restore's replaces it.
   */
  root?: string;
  /** From an earlier `inspectBackup` (the screen shows it before asking); read again when absent. */
  inspection?: BackupInspection;
  currentCommit: string | null;
  allowVersionMismatch: boolean;
  /** --yes: confirmed beforehand. */
  confirmed: boolean;
  /** Asked after the checks, when not confirmed beforehand (the screen's or terminal's typed database name). */
  confirm?: () => Promise<boolean>;
  /** Where the safety backup goes and the version it records; false skips it (--no-safety-backup). */
  safetyBackup: false | { outDir: string; git: GitVersion };
  python: string;
  managePy: string;
  /** Whether the instance's python imports CATMAID's settings: only then is manage.py tried for the rebuild. */
  djangoWorks?: boolean;
  /**
   * Restore as the PostgreSQL superuser (root on the database host, runuser and peer authentication) instead of
   * as the CATMAID role; it may then create a missing role (from `globals`) and database.
   */
  asSuperuser?: boolean;
  /** The age identity (private key) file that decrypts an encrypted backup. */
  identity?: string;
  /** A `pg_dumpall --globals-only` file; by default the one the dump's manifest names. */
  globals?: string;
  jobs?: number;
  /** Asked when the load waits for a lock (once per set of blockers); without it: wait `lockWaitMs`, then abort. */
  onLockWait?: LockDecider;
  lockWaitMs?: number;
  signal?: AbortSignal;
  onProgress?: (event: RestoreEvent) => void;
  log?: TaskLog;
}

export interface RestoreResult {
  inspection: BackupInspection;
  safetyBackup: string | null;
  /** The rebuild of the derived tables, or null when the dump held their rows. */
  derived: RebuildResult | null;
  /** What the restore as the role left out of the dump (the extension's entries, spatial_ref_sys's rows). */
  leftOut: string[];
  /** Done as the superuser before the restore (role created, database created). */
  prepared: string[];
  warnings: string[];
  /** The other sessions of the database when the restore started. */
  sessions: Session[];
}
