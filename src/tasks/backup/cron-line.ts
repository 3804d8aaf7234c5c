import { UsageError } from '../errors.js';
import { hasNoControlCharacters } from '../safe-name.js';
import { quoteArg } from '../task-log.js';

/**
 * A value bound for a crontab line or a systemd unit (a folder, the instance's path or name): a newline in it
 * would add a line of its own (a second cron job, an `ExecStartPost=`), so any control character is refused.
 * Quoting per format does the rest (shell quoting and `%` for cron, systemdQuote for units).
 */
export function scheduleValue(what: string, value: string): string {
  if (!hasNoControlCharacters(value)) {
    throw new UsageError(`${what} ${JSON.stringify(value)} has a newline or another control character; cron and systemd would read it as more than one line`, 'rename the folder, or choose another with --out DIR');
  }
  return value;
}

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
  globals?: boolean;
}

/** The `catmaid-tui backup` run that cron or systemd starts, as an argument array. */
export function scheduledBackupArgs(job: ScheduledBackup): string[] {
  const args = [...job.program, '--catmaid-dir', job.catmaidDir, 'backup', '--quiet', '--out', job.outDir];
  if (job.format && job.format !== 'sql') args.push('--format', job.format);
  if (job.keep) args.push('--keep', String(job.keep));
  if (job.globals) args.push('--globals');
  return args;
}

/** One crontab line: schedule, the quoted command with `%` escaped, output appended to `logFile`. */
export function cronLine(fields: string, args: readonly string[], logFile: string): string {
  const command = args.map((arg) => quoteArg(scheduleValue('argument', arg))).join(' ');
  scheduleValue('log file', logFile);
  return `${fields} ${cronEscape(command)} >> ${cronEscape(quoteArg(logFile))} 2>&1`;
}
