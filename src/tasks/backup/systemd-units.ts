import { UsageError } from '../errors.js';
import { cronFields } from './cron-expression.js';
import { scheduleValue } from './cron-line.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const HINT = 'use the crontab line instead (without --systemd), or a simpler --at';

type Field = 'minute' | 'hour' | 'day' | 'month' | 'weekday';

function value(field: Field, raw: string): string {
  const lower = raw.toLowerCase();
  if (field === 'month' && MONTHS.includes(lower)) return String(MONTHS.indexOf(lower) + 1);
  if (field === 'weekday') {
    const byName = DAYS.findIndex((d) => d.toLowerCase() === lower);
    const n = byName >= 0 ? byName : Number(raw) % 7;
    if (Number.isNaN(n)) throw new UsageError(`--at: weekday ${raw} not understood`, HINT);
    return DAYS[n];
  }
  return raw;
}

/** One cron field as systemd calendar syntax: `a-b` → `a..b`, `*\/n` → `first/n`, names → numbers or Mon…Sun. */
function convert(field: Field, text: string): string {
  if (text === '*') return '*';
  return text
    .split(',')
    .map((part) => {
      const [range, step] = part.split('/');
      if (step !== undefined) {
        if (range !== '*' && !/^\d+$/.test(range)) throw new UsageError(`--at: "${part}" has no systemd form`, HINT);
        if (field === 'weekday') throw new UsageError(`--at: weekday steps have no systemd form`, HINT);
        const first = range === '*' ? (field === 'day' || field === 'month' ? '1' : '0') : range;
        return `${first}/${step}`;
      }
      const bounds = range.split('-');
      return bounds.map((b) => value(field, b)).join('..');
    })
    .join(',');
}

/**
 * cron's five fields as a systemd `OnCalendar=` value. cron runs a job when day-of-month OR weekday matches and
 * systemd when both do, so a schedule that restricts both is refused rather than changed in meaning.
 */
export function onCalendar(expression: string): string {
  const [minute, hour, day, month, weekday] = cronFields(expression).split(' ');
  if (day !== '*' && weekday !== '*') {
    throw new UsageError('--at: day-of-month and weekday together mean "either" in cron but "both" in systemd', HINT);
  }
  const dow = weekday === '*' ? '' : `${convert('weekday', weekday)} `;
  const pad = (text: string) => (/^\d$/.test(text) ? `0${text}` : text);
  return `${dow}*-${pad(convert('month', month))}-${pad(convert('day', day))} ${pad(convert('hour', hour))}:${pad(convert('minute', minute))}:00`;
}

/** systemd's ExecStart quoting: double quotes where needed, `%` and `$` doubled (specifiers, variables). */
export function systemdQuote(arg: string): string {
  const escaped = arg.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  return /^[\w@+=:,./-]+$/.test(escaped) ? escaped : `"${escaped.replace(/(["\\])/g, '\\$1')}"`;
}

export interface SystemdUnits {
  /** e.g. catmaid-tui-backup-myinstance; the files are <name>.service and <name>.timer. */
  name: string;
  service: string;
  timer: string;
}

export function systemdUnits(instanceName: string, expression: string, args: readonly string[]): SystemdUnits {
  scheduleValue('instance name', instanceName);
  for (const arg of args) scheduleValue('argument', arg);
  const name = `catmaid-tui-backup-${instanceName.replace(/[^\w.-]/g, '-')}`;
  // Description= expands specifiers: a % of the name must be doubled.
  const shown = instanceName.replace(/%/g, '%%');
  const service = [
    '[Unit]',
    `Description=catmaid-tui backup of ${shown}`,
    'Wants=network-online.target',
    'After=network-online.target postgresql.service',
    '',
    '[Service]',
    'Type=oneshot',
    `ExecStart=${args.map(systemdQuote).join(' ')}`,
    '',
  ].join('\n');
  const timer = [
    '[Unit]',
    `Description=Scheduled catmaid-tui backup of ${shown} (cron: ${expression})`,
    '',
    '[Timer]',
    `OnCalendar=${onCalendar(expression)}`,
    // A night the machine was off is caught up at the next boot, as anacron would.
    'Persistent=true',
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
  return { name, service, timer };
}
