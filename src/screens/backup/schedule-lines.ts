import { checkedPlan, EMPTY_PLAN, planOfLine, type BackupPlan } from '../../tasks/backup/backup-plan.js';
import { cronFields, nextRuns } from '../../tasks/backup/cron-expression.js';
import { cronLine, scheduledBackupArgs } from '../../tasks/backup/cron-line.js';
import type { BackupFormat } from '../../tasks/backup/naming.js';
import type { RetentionPolicy } from '../../tasks/backup/retention.js';
import { systemdUnits, type SystemdUnits } from '../../tasks/backup/systemd-units.js';
import { oneLine } from '../../tasks/errors.js';
import { readCount } from './form-state.js';

/** Where the scheduled run comes from and goes to: what the line is built of besides the form. */
export interface ScheduleContext {
  instanceName: string;
  /** node and the catmaid-tui script, both absolute (cron's PATH is minimal). */
  program: string[];
  catmaidDir: string;
  backupDir: string;
  logFile: string;
  /** Where the scheduled run's age recipients are kept (recipients.ts). */
  recipientsFile: string;
  /** The installed line's plan: what the form does not edit (ssh config, notify command …) stays as it was. */
  base: BackupPlan | null;
}

export interface SchedulePreview {
  /** The crontab line, or why there is none (the schedule did not validate). */
  line?: string;
  error?: string;
  /** The checked plan and the keys the instance's recipients file must hold (written on install). */
  plan?: BackupPlan;
  keys?: string[];
  next: Date[];
  /** The systemd service + timer pair, or why this schedule has no systemd form. */
  units?: SystemdUnits;
  unitsError?: string;
}

/** The line `schedule backup --print` would give for these form values (pure: the same task functions). */
export function schedulePreview(values: Record<string, string>, ctx: ScheduleContext): SchedulePreview {
  const checked = planOfValues(values, ctx);
  if (typeof checked === 'string') return { error: checked, next: [] };
  let fields: string;
  try {
    fields = cronFields(values.at ?? '');
  } catch (err) {
    return { error: oneLine(err), next: [] };
  }
  const args = scheduledBackupArgs({ program: ctx.program, catmaidDir: ctx.catmaidDir, outDir: ctx.backupDir, ...checked.plan });
  let line: string;
  try {
    line = cronLine(fields, args, ctx.logFile);
  } catch (err) {
    return { error: oneLine(err), next: [] };
  }
  const preview: SchedulePreview = { line, plan: checked.plan, keys: checked.keys, next: nextRuns(fields) };
  try {
    preview.units = systemdUnits(ctx.instanceName, fields, args);
  } catch (err) {
    preview.unitsError = oneLine(err);
  }
  return preview;
}

const RETENTION_FIELDS: [string, keyof RetentionPolicy, string][] = [['keep', 'last', 'keep newest'], ['keepDays', 'days', 'keep days'], ['keepDaily', 'daily', 'keep daily'], ['keepWeekly', 'weekly', 'keep weekly'], ['keepMonthly', 'monthly', 'keep monthly']];

/** A comma-separated field: its items. */
export const itemsOf = (text: string | undefined): string[] => (text ?? '').split(',').map((t) => t.trim()).filter(Boolean);

/** The form's values as the scheduled run's plan (checked as `schedule backup` checks its flags), or what is wrong. */
export function planOfValues(values: Record<string, string>, ctx: Pick<ScheduleContext, 'recipientsFile' | 'base'>): { plan: BackupPlan; keys: string[] } | string {
  const retention: RetentionPolicy = {};
  for (const [id, key, what] of RETENTION_FIELDS) {
    const count = readCount(values[id] ?? '', what, null);
    if (count.problem) return count.problem;
    if (count.value) retention[key] = count.value;
  }
  // What the form does not edit (ssh config, notify command, identity, globals) stays as the installed line has it.
  const { encryptTo: _encrypt, mailTo: _mail, restoreTestEvery: _every, ...kept } = ctx.base ?? EMPTY_PLAN;
  try {
    return checkedPlan(
      {
        ...kept,
        format: values.format as BackupFormat,
        retention,
        encryptTo: itemsOf(values.encryptTo),
        copyTo: itemsOf(values.copyTo),
        ...(values.mailTo ? { mailTo: values.mailTo } : {}),
        ...(values.restoreTestEvery ? { restoreTestEvery: values.restoreTestEvery } : {}),
      },
      ctx.recipientsFile,
    );
  } catch (err) {
    return oneLine(err);
  }
}

/** The five schedule fields of an installed line, to start the form from what is there. */
export function scheduleOfLine(line: string | null): string | null {
  if (!line) return null;
  const fields = line.trim().split(/\s+/).slice(0, 5);
  return fields.length === 5 ? fields.join(' ') : null;
}

/** `Wed 26 Nov 03:00`: a run time the admin reads at a glance, local like cron. */
export function runTime(date: Date): string {
  const day = date.toLocaleDateString('en-GB', { weekday: 'short', day: '2-digit', month: 'short', year: 'numeric' });
  const time = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return `${day.replace(',', '')} ${time}`;
}

/**
 * The form's values from an installed line, so editing starts from what runs: the keys of the instance's own
 * recipients file (`own`), or the path of the admin's own file.
 */
export function valuesOfLine(line: string | null, own: { file: string; keys: readonly string[] } | null = null): Record<string, string> | null {
  const at = scheduleOfLine(line);
  const read = planOfLine(line);
  if (!at || !read) return null;
  const { plan } = read;
  const values: Record<string, string> = { at, format: plan.format ?? 'sql' };
  for (const [id, key] of RETENTION_FIELDS) values[id] = plan.retention[key] ? String(plan.retention[key]) : '';
  values.encryptTo = !plan.encryptTo ? '' : plan.encryptTo === own?.file ? own.keys.join(', ') : plan.encryptTo;
  values.copyTo = plan.copyTo.join(', ');
  values.mailTo = plan.mailTo ?? '';
  values.restoreTestEvery = plan.restoreTestEvery ?? '';
  return values;
}

/** Long text (a crontab line, a unit's ExecStart) wrapped at spaces into lines of `width`, nothing lost. */
export function chunk(text: string, width: number): string[] {
  const room = Math.max(10, width);
  const out: string[] = [];
  for (const source of text.split('\n')) {
    let line = '';
    for (const word of source.split(' ')) {
      const next = line ? `${line} ${word}` : word;
      if (next.length <= room) line = next;
      else {
        if (line) out.push(line);
        line = word;
        while (line.length > room) {
          out.push(line.slice(0, room));
          line = line.slice(room);
        }
      }
    }
    out.push(line);
  }
  return out;
}
