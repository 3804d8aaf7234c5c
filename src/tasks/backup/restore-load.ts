import { execa } from 'execa';
import { libpqEnv, withClient } from '../db/connect.js';
import { CliError } from '../errors.js';
import type { DatabaseSettings } from '../instance/types.js';
import { pgBin } from '../pg-bin.js';
import { EDGE_TABLE } from './backup.js';
import type { BackupInspection } from './inspect.js';
import { endSessionsOf, watchLocks, type LockChoice, type LockDecider } from './lock-watch.js';
import { progressFigures } from './progress.js';
import { rebuildEdgeTable, type EdgeCounts } from './rebuild-derived.js';
import type { RestoreEvent, RestoreOptions } from './restore.js';
import { loadDump } from './restore-run.js';
import { sessionLine } from './sessions.js';

/** The administration manual's `pg_dump -T treenode_edge` leaves out the table itself; its foreign key would block dropping project. */
const DROP_EDGE_TABLE = `DROP TABLE IF EXISTS public.${EDGE_TABLE} CASCADE;\n`;

/** How long a restore without a terminal waits for a lock before it gives up (rolled back). */
export const DEFAULT_LOCK_WAIT_MS = 60_000;

/** Without anyone to ask: wait up to `ms` in all, then abort (or carry out the choice made beforehand). */
export function unattendedLockPolicy(ms: number, choice: LockChoice = 'abort'): LockDecider {
  return async (wait, over) => {
    if (choice !== 'abort') return choice;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve('abort'), Math.max(0, ms - wait.waitedMs));
      over.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve('wait');
      }, { once: true });
    });
  };
}

type Say = { emit: (event: RestoreEvent) => void; warn: (message: string) => void };

/**
 * The load step: psql or pg_restore in one transaction, watched for lock waits. A wait is shown with who holds
 * the lock, and `onLockWait` (else the unattended policy) decides: wait, cancel or end the blockers, or abort.
 */
export async function loadStep(options: RestoreOptions, inspection: BackupInspection, major: number, say: Say): Promise<void> {
  const started = Date.now();
  let table: string | null = null;
  const seedForm = inspection.format === 'sql' && !inspection.edgeTableDefined && (await hasEdgeTable(options.db));
  if (seedForm) say.warn('the dump leaves out the edge table entirely (pg_dump -T): its definition is kept from the database');
  const jobs = inspection.format === 'sql' ? 1 : (options.jobs ?? 1);
  const abort = new AbortController();
  const cancel = () => abort.abort();
  options.signal?.addEventListener('abort', cancel, { once: true });
  const appName = `catmaid-tui restore ${process.pid}`;
  const stopWatch = watchLocks({
    db: options.db,
    appName,
    decide: async (wait, over) => {
      say.emit({ type: 'lock-wait', wait });
      return (options.onLockWait ?? unattendedLockPolicy(options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS))(wait, over);
    },
    onAbort: (wait) => {
      const held = wait.blockers.map(sessionLine).join('; ');
      const state = jobs > 1 ? 'the database may be half-restored' : 'the database was left as it was';
      abort.abort(new CliError(`restore aborted while waiting for a lock held by ${held}; ${state}`, 1, 'end those sessions (catmaid-tui monitor) or restore with --terminate-blockers'));
    },
    onProblem: (message) => say.warn(`lock watch: ${message}`),
  });
  try {
    await loadDump({
      db: options.db,
      file: inspection.path,
      format: inspection.format,
      program: pgBin(inspection.format === 'sql' ? 'psql' : 'pg_restore', major),
      jobs,
      sha256: inspection.sha256,
      appName,
      before: seedForm ? DROP_EDGE_TABLE : undefined,
      after: seedForm ? await edgeTableDefinition(options.db, pgBin('pg_dump', major)) : undefined,
      signal: abort.signal,
      log: options.log,
      onTable: (name) => {
        table = name;
        // pg_restore tells tables, not bytes: each new table is the news.
        if (inspection.format !== 'sql') say.emit({ type: 'progress', table, ...progressFigures(0, Date.now() - started, null) });
      },
      onBytes: (bytes) => say.emit({ type: 'progress', table, ...progressFigures(bytes, Date.now() - started, inspection.sizeBytes) }),
    });
  } finally {
    options.signal?.removeEventListener('abort', cancel);
    await stopWatch();
    if (abort.signal.aborted) await endSessionsOf(options.db, appName).catch(() => undefined);
  }
}

/** The rebuild step: derived tables whose rows the dump left out, rebuilt and counted. */
export async function rebuildStep(options: RestoreOptions): Promise<EdgeCounts> {
  return rebuildEdgeTable({ db: options.db, python: options.python, managePy: options.managePy, log: options.log, signal: options.signal });
}

async function hasEdgeTable(db: DatabaseSettings): Promise<boolean> {
  return withClient(db, async (client) => {
    const row = (await client.query(`SELECT to_regclass('public.${EDGE_TABLE}') IS NOT NULL AS present`)).rows[0];
    return (row as { present: boolean }).present;
  });
}

/** The edge table's current definition, re-created after a dump that dropped everything it depends on. */
async function edgeTableDefinition(db: DatabaseSettings, pgDump: string): Promise<string> {
  const args = ['--schema-only', '--no-password', `--table=public.${EDGE_TABLE}`];
  const run = await execa(pgDump, args, { env: libpqEnv(db), extendEnv: false });
  return run.stdout;
}
