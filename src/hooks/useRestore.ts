import { useCallback, useReducer, useState } from 'react';
import { initialSteps, stepsReducer } from '../screens/backup/restore-steps.js';
import { serverFacts } from '../tasks/backup/backup.js';
import { inspectBackup, type BackupInspection } from '../tasks/backup/inspect.js';
import { emptyDerivedTablesOf } from '../tasks/backup/derived-tables.js';
import { instanceBackups, type InstanceBackups } from '../tasks/backup/instance-backups.js';
import type { BackupEntry } from '../tasks/backup/list.js';
import type { LockChoice, LockWait } from '../tasks/backup/lock-watch.js';
import { rebuildDerived, type RebuildInput, type RebuildResult } from '../tasks/backup/rebuild-derived.js';
import { otherSessions } from '../tasks/backup/sessions.js';
import type { Session } from '../tasks/monitor/types.js';
import { runRestore, type RestoreOptions, type RestoreResult } from '../tasks/backup/restore.js';
import { restoreEventLine } from '../tasks/backup/summary.js';
import { oneLine } from '../tasks/errors.js';
import type { InstanceInfo } from '../tasks/instance/types.js';
import { pgBin } from '../tasks/pg-bin.js';
import { openTaskLog, type TaskLog } from '../tasks/task-log.js';
import { configuredBackupDir, gitVersion, refreshInstance } from './useBackup.js';
import { useTask } from './useTask.js';

/** The tasks the Restore screen calls: the real ones by default; screen tests pass fakes. */
export interface RestoreServices {
  backupDir(info: InstanceInfo): Promise<string>;
  refresh(info: InstanceInfo): Promise<InstanceInfo>;
  /** The instance's backups with their pins, and this database's in the old default folder. */
  list(info: InstanceInfo, dir: string): Promise<InstanceBackups>;
  inspect(file: string, info: InstanceInfo, onBytes: (bytes: number) => void): Promise<BackupInspection>;
  /** Who else is connected to the database now. */
  sessions(info: InstanceInfo): Promise<Session[]>;
  /** Derived tables left empty (a restore cut off before its rebuild). */
  emptyDerived(info: InstanceInfo): Promise<string[]>;
  rebuild(input: RebuildInput): Promise<RebuildResult>;
  restore(options: RestoreOptions): Promise<RestoreResult>;
  openLog(task: string): TaskLog;
}

export const restoreServices: RestoreServices = {
  backupDir: configuredBackupDir,
  refresh: refreshInstance,
  list: (info, dir) => instanceBackups(info.layout.root, info.name, dir, info.settings.settings.database),
  sessions: (info) => otherSessions(info.settings.settings.database),
  emptyDerived: (info) => emptyDerivedTablesOf(info.settings.settings.database),
  rebuild: rebuildDerived,
  inspect: async (file, info, onBytes) => {
    // pg_restore of the server's major version reads its archives; psql dumps need none, but the check is cheap.
    const server = await serverFacts(info.settings.settings.database);
    return inspectBackup(file, pgBin('pg_restore', server.major), onBytes);
  },
  restore: runRestore,
  openLog: (task) => openTaskLog(task),
};

/** A backup in the list; `oldFolder` when it lies in the default folder of earlier versions. */
export type ListedBackup = BackupEntry & { oldFolder?: boolean };

export interface Listing {
  dir: string;
  entries: ListedBackup[];
  /** Derived tables left empty now: the screen offers their rebuild. */
  emptyDerived: string[];
}

export interface Inspected {
  inspection: BackupInspection;
  /** The instance as it is now: its commit decides whether the backup's code version matches. */
  current: InstanceInfo;
  /** Who is connected to the database: a restore does not start without the admin seeing them. */
  sessions: Session[];
}

export interface RestoreRequest {
  inspected: Inspected;
  dir: string;
  allowVersionMismatch: boolean;
  safetyBackup: boolean;
}

/** List the folder, inspect a pick (read whole: sha256, completeness, contents), restore it step by step. */
export function useRestore(info: InstanceInfo, services: RestoreServices = restoreServices) {
  const [steps, dispatch] = useReducer(stepsReducer, undefined, initialSteps);

  const [lockWait, setLockWait] = useState<{ wait: LockWait; answer: (choice: LockChoice) => void } | null>(null);

  const listing = useTask<Listing, []>(
    useCallback(async () => {
      const dir = await services.backupDir(info);
      const [listed, emptyDerived] = await Promise.all([services.list(info, dir), services.emptyDerived(info).catch(() => [])]);
      const old = listed.oldFolder?.entries.map((e) => ({ ...e, oldFolder: true })) ?? [];
      return { dir, entries: [...listed.entries, ...old], emptyDerived };
    }, [info, services]),
  );

  const inspecting = useTask<Inspected, [string]>(
    useCallback(
      async (ctx, file) => {
        const current = await services.refresh(info);
        const [inspection, sessions] = await Promise.all([
          services.inspect(file, current, (bytes) => ctx.emit({ type: 'progress', done: bytes })),
          services.sessions(current),
        ]);
        return { inspection, current, sessions };
      },
      [info, services],
    ),
  );

  const rebuilding = useTask<RebuildResult, []>(
    useCallback(async () => {
      const current = await services.refresh(info);
      const db = current.settings.settings.database;
      const log = services.openLog('rebuild-derived');
      log.redact(db.password);
      try {
        return await services.rebuild({
          db,
          python: current.layout.python,
          managePy: current.layout.managePy,
          djangoWorks: current.settings.source === 'django',
          log,
        });
      } finally {
        log.close();
      }
    }, [info, services]),
  );

  const restoring = useTask<RestoreResult, [RestoreRequest]>(
    useCallback(
      async (ctx, request) => {
        dispatch({ type: 'reset' });
        const { current, inspection } = request.inspected;
        const db = current.settings.settings.database;
        const log = services.openLog('restore');
        log.redact(db.password);
        ctx.emit({ type: 'log', file: log.path });
        try {
          return await services.restore({
            db,
            file: inspection.path,
            currentCommit: gitVersion(current).commit,
            allowVersionMismatch: request.allowVersionMismatch,
            // The screen had the database name typed before starting.
            confirmed: true,
            safetyBackup: request.safetyBackup ? { outDir: request.dir, git: gitVersion(current) } : false,
            root: current.layout.root,
            python: current.layout.python,
            managePy: current.layout.managePy,
            djangoWorks: current.settings.source === 'django',
            // The screen shows who holds the lock and asks: wait, cancel their queries, end their sessions, abort.
            onLockWait: (wait, over) =>
              new Promise<LockChoice>((resolve) => {
                const answer = (choice: LockChoice) => {
                  setLockWait(null);
                  resolve(choice);
                };
                over.addEventListener('abort', () => answer('wait'), { once: true });
                setLockWait({ wait, answer });
              }),
            signal: ctx.signal,
            log,
            onProgress: (event) => {
              dispatch({ type: 'event', event, at: Date.now() });
              const line = event.type === 'safety-backup' ? null : restoreEventLine(event);
              if (line) ctx.emit({ type: 'line', text: line });
            },
          });
        } catch (err) {
          dispatch({ type: 'failed', error: oneLine(err), at: Date.now() });
          log.line(`failed: ${oneLine(err)}`);
          throw err;
        } finally {
          log.close();
        }
      },
      [services],
    ),
  );

  return { listing, inspecting, restoring, rebuilding, steps, lockWait };
}
