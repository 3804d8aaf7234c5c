import fs from 'node:fs';
import os from 'node:os';
import { useCallback, useState } from 'react';
import { installCronLine, installedCronLine, readCrontab, removeCronLine, scheduledBackupLog, type CrontabChange } from '../tasks/backup/crontab.js';
import { readRecipients, recipientsFile, writeRecipients } from '../tasks/backup/recipients.js';
import { checkScheduledPassword, pgpassFile, type PgpassCheck } from '../tasks/backup/pgpass.js';
import type { DatabaseSettings, InstanceInfo, InstanceLayout } from '../tasks/instance/types.js';
import { logDir } from '../tasks/paths.js';
import { selfCommand } from '../tasks/self-command.js';
import { configuredBackupDir } from './useBackup.js';
import { usePoll } from './usePoll.js';
import { useTask } from './useTask.js';

/** The tasks the Schedule screen calls: the real crontab by default; screen tests pass fakes. */
export interface ScheduleServices {
  backupDir(info: InstanceInfo): Promise<string>;
  /** The user's crontab as stored, or null when there is none. */
  readCrontab(): Promise<string | null>;
  /**
   * `root`: the instance whose state folder keeps the copy of the crontab it replaces. `keys`: the age public keys
   * the instance's recipients file must hold before the line that names it is installed.
   */
  install(instanceName: string, line: string, root: string, keys: readonly string[]): Promise<CrontabChange>;
  remove(instanceName: string, root: string): Promise<CrontabChange>;
  /** Whether the scheduled run gets the password: settings.py or .pgpass (pgpass.ts checkScheduledPassword). */
  checkPgpass(db: DatabaseSettings, layout: InstanceLayout): Promise<PgpassCheck>;
  /** How cron starts catmaid-tui: node and this script, absolute. */
  program(): string[];
  logFile(instanceName: string): string;
  user(): string;
  /** The instance's recipients file (recipients.ts) and the keys it holds. */
  recipients(root: string): { file: string; keys: string[] };
}

export const scheduleServices: ScheduleServices = {
  backupDir: configuredBackupDir,
  readCrontab: () => readCrontab(),
  install: async (name, line, root, keys) => {
    // The line appends its output here; cron cannot create the folder.
    fs.mkdirSync(logDir(), { recursive: true, mode: 0o700 });
    if (keys.length) await writeRecipients(root, keys);
    return installCronLine(name, line, undefined, root);
  },
  remove: (name, root) => removeCronLine(name, undefined, root),
  checkPgpass: (db, layout) => checkScheduledPassword(pgpassFile(), db, layout),
  program: selfCommand,
  logFile: scheduledBackupLog,
  user: () => os.userInfo().username,
  recipients: (root) => {
    const file = recipientsFile(root);
    return { file, keys: readRecipients(file) };
  },
};

export interface ScheduleState {
  /** This instance's line in the crontab, or null. */
  installed: string | null;
  pgpass: PgpassCheck;
  backupDir: string;
  recipients: { file: string; keys: string[] };
}

/** The current state (installed line, .pgpass, folder) and the install/remove change, each a task. */
export function useSchedule(info: InstanceInfo, services: ScheduleServices = scheduleServices) {
  const reading = useTask<ScheduleState, []>(
    useCallback(async () => {
      const [crontab, pgpass, backupDir] = await Promise.all([
        services.readCrontab(),
        services.checkPgpass(info.settings.settings.database, info.layout),
        services.backupDir(info),
      ]);
      return { installed: installedCronLine(crontab, info.name), pgpass, backupDir, recipients: services.recipients(info.layout.root) };
    }, [info, services]),
  );
  const changing = useTask<CrontabChange & { what: 'install' | 'remove' }, ['install' | 'remove', string, string[]]>(
    useCallback(
      async (_ctx, what, line, keys) => {
        const root = info.layout.root;
        const change = what === 'install' ? await services.install(info.name, line, root, keys) : await services.remove(info.name, root);
        return { ...change, what };
      },
      [info.name, info.layout.root, services],
    ),
  );
  return { reading, changing };
}

/** Home's line for the Schedule entry: the installed schedule, or that there is none. */
export function useScheduleStatus(info: InstanceInfo, visible = true, services: ScheduleServices = scheduleServices): string | undefined {
  const [status, setStatus] = useState<string | undefined>();
  usePoll(
    async () => {
      const line = installedCronLine(await services.readCrontab(), info.name);
      setStatus(line ? `${line.split(/\s+/).slice(0, 5).join(' ')} (cron)` : 'not scheduled');
    },
    60_000,
    { immediate: true, paused: !visible },
  );
  return status;
}
