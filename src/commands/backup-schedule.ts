import fs from 'node:fs';
import os from 'node:os';
import type { Command } from 'commander';
import { cronFields, nextRuns } from '../tasks/backup/cron-expression.js';
import { cronLine, scheduledBackupArgs } from '../tasks/backup/cron-line.js';
import { installCronLine, removeCronLine, scheduledBackupLog, type CrontabChange } from '../tasks/backup/crontab.js';
import type { BackupFormat } from '../tasks/backup/naming.js';
import { checkPgpass, installPgpass, pgpassFile, pgpassHost, pgpassLine } from '../tasks/backup/pgpass.js';
import { systemdUnits } from '../tasks/backup/systemd-units.js';
import { UsageError } from '../tasks/errors.js';
import { logDir } from '../tasks/paths.js';
import { selfCommand } from '../tasks/self-command.js';
import { target } from './backup-target.js';
import { confirmOrRefuse } from './confirm.js';

export interface ScheduleFlags {
  at: string;
  out?: string;
  keep?: number;
  format: BackupFormat;
  print?: boolean;
  install?: boolean;
  remove?: boolean;
  systemd?: boolean;
  yes?: boolean;
  globals?: boolean;
}

export async function scheduleAction(flags: ScheduleFlags, command: Command): Promise<void> {
  if ([flags.print, flags.install, flags.remove].filter(Boolean).length > 1) {
    throw new UsageError('choose one of --print, --install, --remove');
  }
  if (flags.systemd && (flags.install || flags.remove)) {
    throw new UsageError('--systemd only prints the units', 'save them under /etc/systemd/system/, then: systemctl enable --now <name>.timer');
  }
  const fields = cronFields(flags.at);
  const t = await target(command, flags.out);
  const db = t.info.settings.settings.database;
  const program = selfCommand();
  const args = scheduledBackupArgs({ program, catmaidDir: t.located.root, outDir: t.backupDir, keep: flags.keep, format: flags.format, globals: flags.globals });
  const logFile = scheduledBackupLog(t.located.name);
  const line = cronLine(fields, args, logFile);
  const out = (text: string) => process.stdout.write(`${text}\n`);
  const me = os.userInfo().username;
  const copied = (change: CrontabChange) => (change.copy ? ` (the crontab as it was is kept in ${change.copy})` : '');
  if (flags.remove) {
    await confirmOrRefuse(`Take the scheduled backup of ${t.located.name} out of the crontab of ${me}?`, flags.yes);
    const change = await removeCronLine(t.located.name, undefined, t.located.root);
    out(change.changed ? `removed the scheduled backup of ${t.located.name} from the crontab${copied(change)}` : 'no scheduled backup was installed');
    return;
  }
  if (flags.systemd) {
    const units = systemdUnits(t.located.name, flags.at, args);
    out(`# /etc/systemd/system/${units.name}.service\n${units.service}\n# /etc/systemd/system/${units.name}.timer\n${units.timer}`);
  } else if (flags.install) {
    await confirmOrRefuse(`Add a scheduled backup of ${t.located.name} (${fields}) to the crontab of ${me}?`, flags.yes);
    fs.mkdirSync(logDir(), { recursive: true, mode: 0o700 });
    const change = await installCronLine(t.located.name, line, undefined, t.located.root);
    out(`${change.changed ? 'installed in' : 'already in'} the crontab of ${me}${copied(change)}:\n${line}`);
  } else {
    out(line);
  }
  out(`next runs: ${nextRuns(fields).map((d) => d.toLocaleString()).join(' · ')}`);
  const pgpass = await checkPgpass(pgpassFile(), db);
  if (!pgpass.usable) {
    process.stderr.write(`warning: ${os.userInfo().username} has no usable .pgpass entry: ${pgpass.reason}\n  hint: catmaid-tui pgpass --install\n`);
  }
}

export async function pgpassAction(flags: { print?: boolean; install?: boolean; yes?: boolean }, command: Command): Promise<void> {
  if (flags.print && flags.install) throw new UsageError('choose one of --print, --install');
  const t = await target(command);
  const db = t.info.settings.settings.database;
  const file = pgpassFile();
  if (flags.print) {
    process.stdout.write(`${pgpassLine(db)}\n`);
  } else if (flags.install) {
    await confirmOrRefuse(`Write the password line for ${db.user}@${pgpassHost(db.host)}:${db.port}/${db.name} into ${file} (mode 0600)?`, flags.yes);
    const { changed, copy } = await installPgpass(file, db, t.located.root);
    process.stdout.write(`${changed ? 'wrote' : 'already had'} the line for ${db.user}@${db.name} in ${file} (mode 0600)${copy ? `; the file as it was is kept in ${copy}` : ''}\n`);
  } else {
    const check = await checkPgpass(file, db);
    process.stdout.write(check.usable ? `${file} has a usable line for ${db.user}@${db.name}\n` : `${check.reason}\n`);
  }
}
