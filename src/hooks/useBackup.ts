import { useCallback, useEffect, useReducer, useState } from 'react';
import { idleProgress, progressReducer } from '../screens/backup/backup-progress.js';
import { runBackup, type BackupOptions, type BackupResult, type GitVersion } from '../tasks/backup/backup.js';
import { formatAge, listBackups, type BackupEntry } from '../tasks/backup/list.js';
import type { BackupFormat } from '../tasks/backup/naming.js';
import { backupEventLine } from '../tasks/backup/summary.js';
import { backupDirFor } from '../tasks/backup/backup-dir.js';
import { oneLine } from '../tasks/errors.js';
import { discoverInstance } from '../tasks/instance/index.js';
import type { InstanceInfo } from '../tasks/instance/types.js';
import { openTaskLog, type TaskLog } from '../tasks/task-log.js';
import { usePoll } from './usePoll.js';
import { useTask } from './useTask.js';

/**
 * The backup folder the commands use (src/commands/backup-target.ts): the instance's configured `backupDir`,
 * else the XDG default. The screens have no commander `Command`, so they read the config themselves.
 */
export const configuredBackupDir = (info: InstanceInfo): Promise<string> => backupDirFor(info.layout.root);

/** The code version a backup records; an instance that is not a git checkout records none. */
export function gitVersion(info: InstanceInfo): GitVersion {
  if ('error' in info.git) return { commit: null, shortCommit: null, describe: null };
  return { commit: info.git.commit, shortCommit: info.git.shortCommit, describe: info.git.describe };
}

/** Reads the instance again without probing database or processes: its commit may have moved since Home read it. */
export const refreshInstance = (info: InstanceInfo): Promise<InstanceInfo> =>
  discoverInstance({ name: info.name, root: info.layout.root, via: '--catmaid-dir' }, { database: false, processes: false });

/** The tasks the Backup screen calls: the real ones by default; screen tests pass fakes. */
export interface BackupServices {
  backupDir(info: InstanceInfo): Promise<string>;
  refresh(info: InstanceInfo): Promise<InstanceInfo>;
  run(options: BackupOptions): Promise<BackupResult>;
  list(dir: string, database?: string): Promise<BackupEntry[]>;
  openLog(task: string): TaskLog;
}

export const backupServices: BackupServices = {
  backupDir: configuredBackupDir,
  refresh: refreshInstance,
  run: runBackup,
  list: listBackups,
  openLog: (task) => openTaskLog(task),
};

export interface BackupRequest {
  folder: string;
  format: BackupFormat;
  jobs: number;
  withEdgeTable: boolean;
  keep?: number;
}

/** The folder the form starts with, the run as a task, and its live progress. */
export function useBackup(info: InstanceInfo, services: BackupServices = backupServices) {
  const [progress, dispatch] = useReducer(progressReducer, undefined, idleProgress);
  const [folder, setFolder] = useState<{ dir?: string; error?: string }>({});
  useEffect(() => {
    let live = true;
    services.backupDir(info).then(
      (dir) => live && setFolder({ dir }),
      (err: unknown) => live && setFolder({ error: oneLine(err) }),
    );
    return () => {
      live = false;
    };
  }, [info.layout.root, services]); // eslint-disable-line react-hooks/exhaustive-deps

  const running = useTask<BackupResult, [BackupRequest]>(
    useCallback(
      async (ctx, request) => {
        dispatch({ type: 'reset' });
        const fresh = await services.refresh(info);
        const db = fresh.settings.settings.database;
        const log = services.openLog('backup');
        log.redact(db.password);
        ctx.emit({ type: 'log', file: log.path });
        try {
          return await services.run({
            db,
            outDir: request.folder,
            git: gitVersion(fresh),
            root: fresh.layout.root,
            format: request.format,
            jobs: request.jobs,
            withEdgeTable: request.withEdgeTable,
            retention: request.keep ? { last: request.keep } : undefined,
            signal: ctx.signal,
            log,
            onProgress: (event) => {
              dispatch({ type: 'event', event });
              const line = backupEventLine(event);
              if (line) ctx.emit({ type: 'line', text: line });
            },
          });
        } catch (err) {
          log.line(`failed: ${oneLine(err)}`);
          throw err;
        } finally {
          log.close();
        }
      },
      [info, services],
    ),
  );
  return { folder, running, progress };
}

/** Home's line for the Backup entry: 'last: 19 h ago ✓ verified', read now and then from the backup folder. */
export function useLastBackup(info: InstanceInfo, visible = true, services: BackupServices = backupServices): string | undefined {
  const [status, setStatus] = useState<string | undefined>();
  usePoll(
    async () => {
      const entries = await services.list(await services.backupDir(info), info.settings.settings.database.name);
      const last = entries.find((e) => e.state !== 'partial');
      if (!last) return setStatus('no backup yet');
      const state = last.state === 'verified' ? '✓ verified' : `! ${last.state}`;
      setStatus(`last: ${formatAge(Date.now() - last.createdAt.getTime())} ago ${state}`);
    },
    60_000,
    { immediate: true, paused: !visible },
  );
  return status;
}
