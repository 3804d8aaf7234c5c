import fs from 'node:fs';
import os from 'node:os';
import type { Command } from 'commander';
import { cronFields, nextRuns } from '../tasks/backup/cron-expression.js';
import { cronLine, scheduledBackupArgs } from '../tasks/backup/cron-line.js';
import { installCronLine, removeCronLine, scheduledBackupLog, type CrontabChange } from '../tasks/backup/crontab.js';
import type { BackupFormat } from '../tasks/backup/naming.js';
import { checkPgpass, checkScheduledPassword, installPgpass, pgpassFile, pgpassHost, pgpassLine } from '../tasks/backup/pgpass.js';
import { systemdUnits, type SystemdUnits } from '../tasks/backup/systemd-units.js';
import { oneLine, UsageError } from '../tasks/errors.js';
import { logDir } from '../tasks/paths.js';
import { selfCommand } from '../tasks/self-command.js';
import { checkedPlan, planWords } from '../tasks/backup/backup-plan.js';
import { readRecipients, recipientsFile, writeRecipients, type RecipientsChange } from '../tasks/backup/recipients.js';
import type { RunFlags } from './backup-run.js';
import { printJson } from './context.js';
import { retentionOf, type RetentionFlags } from './retention-flags.js';
import { target } from './backup-target.js';
import { confirmOrRefuse } from './confirm.js';

export interface ScheduleFlags extends RetentionFlags, RunFlags {
  at: string;
  out?: string;
  format: BackupFormat;
  encryptTo: string[];
  print?: boolean;
  install?: boolean;
  remove?: boolean;
  systemd?: boolean;
  json?: boolean;
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
  const { plan, keys } = checkedPlan({ ...flags, retention: retentionOf(flags) }, recipientsFile(t.located.root));
  const args = scheduledBackupArgs({ program: selfCommand(), catmaidDir: t.located.root, outDir: t.backupDir, ...plan });
  const logFile = scheduledBackupLog(t.located.name);
  const line = cronLine(fields, args, logFile);
  const me = os.userInfo().username;
  const say = flags.json ? () => undefined : (text: string) => process.stdout.write(`${text}\n`);
  const copied = (change: CrontabChange) => (change.copy ? ` (the crontab as it was is kept in ${change.copy})` : '');
  if (flags.remove) {
    await confirmOrRefuse(`Take the scheduled backup of ${t.located.name} out of the crontab of ${me}?`, flags.yes);
    const change = await removeCronLine(t.located.name, undefined, t.located.root);
    if (flags.json) printJson({ instance: t.located.name, user: me, removed: change.changed, crontabCopy: change.copy ?? null });
    say(change.changed ? `removed the scheduled backup of ${t.located.name} from the crontab${copied(change)}` : 'no scheduled backup was installed');
    return;
  }
  const units = flags.systemd || flags.json ? unitsOrError(t.located.name, flags.at, args) : null;
  let change: CrontabChange | null = null;
  let written: RecipientsChange | null = null;
  if (flags.systemd) {
    if ('error' in units!) throw new UsageError(units.error, 'use the crontab line instead (without --systemd), or a simpler --at');
    say(`# /etc/systemd/system/${units!.name}.service\n${units!.service}\n# /etc/systemd/system/${units!.name}.timer\n${units!.timer}`);
  } else if (flags.install) {
    await confirmOrRefuse(`Add a scheduled backup of ${t.located.name} (${fields}) to the crontab of ${me}?`, flags.yes);
    fs.mkdirSync(logDir(), { recursive: true, mode: 0o700 });
    // The keys first: the line that names the file is only installed once the file holds them.
    if (keys.length) written = await writeRecipients(t.located.root, keys);
    if (written) say(`${written.changed ? 'wrote' : 'kept'} the recipients file ${written.file}${written.copy ? ` (the old one is kept in ${written.copy})` : ''}`);
    change = await installCronLine(t.located.name, line, undefined, t.located.root);
    say(`${change.changed ? 'installed in' : 'already in'} the crontab of ${me}${copied(change)}:\n${line}`);
  } else {
    say(line);
  }
  if (keys.length && !flags.install) say(recipientsNote(plan.encryptTo!, keys));
  const runs = nextRuns(fields);
  say(`next runs: ${runs.map((d) => d.toLocaleString()).join(' · ')}`);
  const pgpass = await checkScheduledPassword(pgpassFile(), db, t.info.layout);
  if (flags.json) {
    printJson({
      instance: t.located.name,
      root: t.located.root,
      user: me,
      schedule: fields,
      nextRuns: runs.map((d) => d.toISOString()),
      backupDir: t.backupDir,
      logFile,
      plan,
      words: planWords(plan),
      recipients: plan.encryptTo ? { file: plan.encryptTo, keys: keys.length ? keys : readRecipients(plan.encryptTo) } : null,
      command: args,
      crontabLine: line,
      systemd: units,
      ...(change ? { installed: { changed: change.changed, crontabCopy: change.copy ?? null, recipientsWritten: written?.changed ?? false } } : {}),
      pgpass,
    });
  }
  if (!pgpass.usable) {
    process.stderr.write(`warning: ${me} has no usable .pgpass entry: ${pgpass.reason}\n  hint: catmaid-tui pgpass --install\n`);
  }
}

/** The systemd form, or why this schedule has none (for --json, which shows both forms). */
function unitsOrError(name: string, at: string, args: readonly string[]): SystemdUnits | { error: string } {
  try {
    return systemdUnits(name, at, args);
  } catch (err) {
    return { error: oneLine(err) };
  }
}

/** Printing writes nothing: say whether the recipients file the line names already holds the keys. */
function recipientsNote(file: string, keys: readonly string[]): string {
  const held = readRecipients(file);
  return keys.every((k) => held.includes(k))
    ? `the recipients file ${file} holds these keys`
    : `the recipients file ${file} does not hold these keys yet: --install writes it (or write them there yourself, one a line)`;
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
