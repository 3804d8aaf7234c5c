import { CronExpressionParser } from 'cron-parser';
import { UsageError } from '../errors.js';

/** The schedule of CATMAID's administration manual: every night at 3. */
export const DEFAULT_CRON = '0 3 * * *';

/** Macros cron itself knows, as the five fields cron-parser reads (`@reboot` has no next run time to show). */
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const HINT = 'five fields: minute hour day-of-month month day-of-week, e.g. --at "0 3 * * *"; or @daily, @weekly …';

export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * The five fields of a crontab schedule, checked by cron-parser. Six fields (seconds) parse in cron-parser but
 * not in cron, so they are refused here.
 */
export function cronFields(expression: string): string {
  const text = expression.trim().replace(/\s+/g, ' ');
  const fields = MACROS[text.toLowerCase()] ?? text;
  if (fields.startsWith('@')) throw new UsageError(`--at ${expression}: cron has no next run time for ${text}`, HINT);
  if (fields.split(' ').length !== 5) throw new UsageError(`--at "${expression}": not a five-field cron schedule`, HINT);
  try {
    CronExpressionParser.parse(fields, { strict: false });
  } catch (err) {
    throw new UsageError(`--at "${expression}": ${(err as Error).message}`, HINT);
  }
  return fields;
}

/** The next `count` times cron starts the job, in the machine's time zone (cron's own). */
export function nextRuns(expression: string, from = new Date(), count = 3, tz = localTimeZone()): Date[] {
  const parsed = CronExpressionParser.parse(cronFields(expression), { currentDate: from, tz });
  return parsed.take(count).map((d) => d.toDate());
}
