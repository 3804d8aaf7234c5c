import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { libpqEnv, withClient } from '../db/connect.js';
import { CliError } from '../errors.js';
import type { DatabaseSettings } from '../instance/types.js';
import { pgBin } from '../pg-bin.js';
import { presentTables } from './derived-tables.js';
import type { BackupInspection } from './inspect.js';
import { endSessionsOf, watchLocks, type LockChoice, type LockDecider } from './lock-watch.js';
import { progressFigures } from './progress.js';
import { RoleFilter } from './plain-filter.js';
import { rebuildDerived, type RebuildResult } from './rebuild-derived.js';
import { restoreFailure } from './restore-failure.js';
import { LoadFailure, loadDump } from './restore-run.js';
import type { RestoreEvent, RestoreOptions } from './restore-types.js';
import { filterToc, type RoleRestorePlan } from './role-restore.js';
import { sessionLine } from './sessions.js';
import type { Superuser } from './superuser.js';
import { onAbort } from '../on-abort.js';

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

/** How the load runs: as the CATMAID role with what it must leave out, or as the superuser. */
export type LoadMode = { plan: RoleRestorePlan; superuser?: undefined } | { superuser: Superuser; plan?: undefined };

/**
 * The load step: psql or pg_restore in one transaction, watched for lock waits. A wait is shown with who holds
 * the lock, and `onLockWait` (else the unattended policy) decides: wait, cancel or end the blockers, or abort.
 * Returns what was left out of the dump.
 */
export async function loadStep(options: RestoreOptions, inspection: BackupInspection, major: number, mode: LoadMode, say: Say): Promise<string[]> {
  const started = Date.now();
  let table: string | null = null;
  const undefinedHere = inspection.format === 'sql' ? await presentOf(options.db, inspection.derivedUndefined) : [];
  if (undefinedHere.length) say.warn(`the dump leaves out ${undefinedHere.join(', ')} entirely (pg_dump -T): the definitions are kept from the database`);
  const jobs = inspection.format === 'sql' ? 1 : (options.jobs ?? 1);
  const abort = new AbortController();
  const stopListening = onAbort(options.signal, () => abort.abort());
  const appName = `catmaid-tui restore ${process.pid}`;
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'catmaid-tui-restore-'));
  // An encrypted archive goes to psql as SQL too: pg_restore reads it from age's pipe, which it cannot seek.
  const asSql = inspection.format === 'sql' || inspection.decrypt !== undefined;
  const filter = mode.plan && asSql ? new RoleFilter(mode.plan) : undefined;
  const toc = mode.plan && inspection.toc && !asSql ? filterToc(inspection.toc, mode.plan) : null;
  if (toc) await fs.writeFile(path.join(tmp, 'list'), toc.list, { mode: 0o600 });
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
      // As the superuser an archive goes through psql too: pg_restore, run as catmaid-tui's user, can read it.
      program: pgBin(asSql || mode.superuser ? 'psql' : 'pg_restore', major),
      sqlFrom: (mode.superuser || asSql) && inspection.format !== 'sql' ? { pgRestore: pgBin('pg_restore', major) } : undefined,
      decrypt: inspection.decrypt,
      jobs: mode.superuser || asSql ? 1 : jobs,
      sha256: inspection.sha256,
      appName,
      superuser: mode.superuser,
      filter,
      extraArgs: toc ? [`--use-list=${path.join(tmp, 'list')}`, '--no-owner'] : [],
      before: undefinedHere.map((t) => `DROP TABLE IF EXISTS public.${t} CASCADE;\n`).join(''),
      after: undefinedHere.length ? await tableDefinitions(options.db, pgBin('pg_dump', major), undefinedHere) : undefined,
      signal: abort.signal,
      log: options.log,
      onTable: (name) => {
        table = name;
        // pg_restore tells tables, not bytes: each new table is the news.
        if (inspection.format !== 'sql') say.emit({ type: 'progress', table, ...progressFigures(0, Date.now() - started, null) });
      },
      onBytes: (bytes) => say.emit({ type: 'progress', table, ...progressFigures(bytes, Date.now() - started, inspection.sizeBytes) }),
    });
  } catch (err) {
    throw err instanceof LoadFailure ? restoreFailure(err, inspection.path, mode.superuser !== undefined) : err;
  } finally {
    stopListening();
    await stopWatch();
    if (abort.signal.aborted) await endSessionsOf(options.db, appName).catch(() => undefined);
    await fs.rm(tmp, { recursive: true, force: true });
  }
  return toc ? toc.left : [...(filter?.left ?? [])];
}

/** The rebuild step: the derived tables, by CATMAID's command or in SQL, counted. */
export function rebuildStep(options: RestoreOptions): Promise<RebuildResult> {
  return rebuildDerived({
    db: options.db,
    python: options.python,
    managePy: options.managePy,
    djangoWorks: options.djangoWorks === true,
    appName: `catmaid-tui rebuild ${process.pid}`,
    log: options.log,
    signal: options.signal,
  });
}

async function presentOf(db: DatabaseSettings, tables: readonly string[]): Promise<string[]> {
  if (tables.length === 0) return [];
  const present = await withClient(db, (client) => presentTables(client, tables));
  return tables.filter((t) => present.has(t));
}

/** The tables' current definitions, re-created after a dump that dropped everything they depend on. */
async function tableDefinitions(db: DatabaseSettings, pgDump: string, tables: readonly string[]): Promise<string> {
  const args = ['--schema-only', '--no-password', ...tables.map((t) => `--table=public.${t}`)];
  const run = await execa(pgDump, args, { env: libpqEnv(db), extendEnv: false });
  return run.stdout;
}
