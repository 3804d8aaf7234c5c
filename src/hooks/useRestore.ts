import { useCallback, useReducer } from 'react';
import { initialSteps, stepsReducer } from '../screens/backup/restore-steps.js';
import { serverFacts } from '../tasks/backup/backup.js';
import { inspectBackup, type BackupInspection } from '../tasks/backup/inspect.js';
import { listBackups, type BackupEntry } from '../tasks/backup/list.js';
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
  list(dir: string): Promise<BackupEntry[]>;
  inspect(file: string, info: InstanceInfo, onBytes: (bytes: number) => void): Promise<BackupInspection>;
  restore(options: RestoreOptions): Promise<RestoreResult>;
  openLog(task: string): TaskLog;
}

export const restoreServices: RestoreServices = {
  backupDir: configuredBackupDir,
  refresh: refreshInstance,
  list: (dir) => listBackups(dir),
  inspect: async (file, info, onBytes) => {
    // pg_restore of the server's major version reads its archives; psql dumps need none, but the check is cheap.
    const server = await serverFacts(info.settings.settings.database);
    return inspectBackup(file, pgBin('pg_restore', server.major), onBytes);
  },
  restore: runRestore,
  openLog: (task) => openTaskLog(task),
};

export interface Listing {
  dir: string;
  entries: BackupEntry[];
}

export interface Inspected {
  inspection: BackupInspection;
  /** The instance as it is now: its commit decides whether the backup's code version matches. */
  current: InstanceInfo;
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

  const listing = useTask<Listing, []>(
    useCallback(async () => {
      const dir = await services.backupDir(info);
      return { dir, entries: await services.list(dir) };
    }, [info, services]),
  );

  const inspecting = useTask<Inspected, [string]>(
    useCallback(
      async (ctx, file) => {
        const current = await services.refresh(info);
        const inspection = await services.inspect(file, current, (bytes) => ctx.emit({ type: 'progress', done: bytes }));
        return { inspection, current };
      },
      [info, services],
    ),
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
            python: current.layout.python,
            managePy: current.layout.managePy,
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

  return { listing, inspecting, restoring, steps };
}
