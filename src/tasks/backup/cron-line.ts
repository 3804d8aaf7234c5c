import { quoteArg } from '../task-log.js';

/** Marks the crontab block catmaid-tui owns for one instance's scheduled backup. */
export const scheduleBlockId = (instanceName: string): string => `scheduled backup of ${instanceName}`;

/** cron turns an unescaped `%` into a newline (the rest goes to stdin): every `%` in the command needs `\`. */
export function cronEscape(text: string): string {
  return text.replace(/%/g, '\\%');
}

export interface ScheduledBackup {
  /** How to start catmaid-tui without PATH (cron's is minimal): node and the script, both absolute. */
  program: string[];
  catmaidDir: string;
  outDir: string;
  keep?: number;
  format?: string;
}

/** The `catmaid-tui backup` run that cron or systemd starts, as an argument array. */
export function scheduledBackupArgs(job: ScheduledBackup): string[] {
  const args = [...job.program, '--catmaid-dir', job.catmaidDir, 'backup', '--quiet', '--out', job.outDir];
  if (job.format && job.format !== 'sql') args.push('--format', job.format);
  if (job.keep) args.push('--keep', String(job.keep));
  return args;
}

/** One crontab line: schedule, the quoted command with `%` escaped, output appended to `logFile`. */
export function cronLine(fields: string, args: readonly string[], logFile: string): string {
  const command = args.map(quoteArg).join(' ');
  return `${fields} ${cronEscape(command)} >> ${cronEscape(quoteArg(logFile))} 2>&1`;
}
