import { useCallback, useEffect, useReducer, useState } from 'react';
import { idleProgress, progressReducer } from '../screens/backup/backup-progress.js';
import { runBackup, type BackupOptions, type BackupResult, type GitVersion } from '../tasks/backup/backup.js';
import { formatAge, listBackups, type BackupEntry } from '../tasks/backup/list.js';
import type { BackupFormat } from '../tasks/backup/naming.js';
import { backupEventLine } from '../tasks/backup/summary.js';
import { backupDirFor } from '../tasks/backup/backup-dir.js';
import { readCrontab } from '../tasks/backup/crontab.js';
import { backupOverview, type BackupOverview } from '../tasks/backup/overview.js';
import { oneLine } from '../tasks/errors.js';
import { backupFolders, readRuns, type BackupRun } from '../tasks/backup/runs.js';
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
  /** The schedule, last runs, retention plan, encryption and copies (the same as `backups --json`). */
  overview(info: InstanceInfo, backupDir: string): Promise<BackupOverview>;
  /** The instance's recorded backup runs, newest first (default: its state folder's). */
  runs?(root: string): BackupRun[];
}

/** The overview from the user's crontab; a host without cron has no schedule to show, only its runs. */
export async function readOverview(info: InstanceInfo, backupDir: string): Promise<BackupOverview> {
  const crontab = await readCrontab().catch(() => null);
  return backupOverview({ root: info.layout.root, name: info.name, backupDir, db: info.settings.settings.database, crontab });
}

export const backupServices: BackupServices = {
  backupDir: configuredBackupDir,
  refresh: refreshInstance,
  run: runBackup,
  list: listBackups,
  openLog: (task) => openTaskLog(task),
  overview: readOverview,
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
  return { folder, running, progress, overview: useOverview(info, folder.dir, running.state.status, services) };
}

/** The overview for the folder, read again after each run (its record, prune and copies changed it). */
function useOverview(info: InstanceInfo, dir: string | undefined, status: string, services: BackupServices): { value?: BackupOverview; error?: string } {
  const [overview, setOverview] = useState<{ value?: BackupOverview; error?: string }>({});
  useEffect(() => {
    if (!dir || status === 'running') return;
    let live = true;
    services.overview(info, dir).then(
      (value) => live && setOverview({ value }),
      (err: unknown) => live && setOverview({ error: oneLine(err) }),
    );
    return () => {
      live = false;
    };
  }, [dir, status, info.layout.root, services]); // eslint-disable-line react-hooks/exhaustive-deps
  return overview;
}

/** Home's line for the Backup entry: 'last: 19 h ago ✓ verified', read now and then from the backup folder. */
export function useLastBackup(info: InstanceInfo, visible = true, services: BackupServices = backupServices): string | undefined {
  const [status, setStatus] = useState<string | undefined>();
  usePoll(
    async () => {
      const folders = backupFolders(await services.backupDir(info), (services.runs ?? readRuns)(info.layout.root));
      const listed = await Promise.all(folders.map((dir) => services.list(dir, info.settings.settings.database.name).catch(() => [])));
      const last = listed.flat().filter((e) => e.state !== 'partial').sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
      if (!last) return setStatus('no backup yet');
      const state = last.state === 'verified' ? '✓ verified' : `! ${last.state}`;
      setStatus(`last: ${formatAge(Date.now() - last.createdAt.getTime())} ago ${state}`);
    },
    60_000,
    { immediate: true, paused: !visible },
  );
  return status;
}
