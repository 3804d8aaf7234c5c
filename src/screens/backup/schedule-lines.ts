import { cronFields, nextRuns } from '../../tasks/backup/cron-expression.js';
import { cronLine, scheduledBackupArgs } from '../../tasks/backup/cron-line.js';
import type { BackupFormat } from '../../tasks/backup/naming.js';
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
}

export interface SchedulePreview {
  /** The crontab line, or why there is none (the schedule did not validate). */
  line?: string;
  error?: string;
  next: Date[];
  /** The systemd service + timer pair, or why this schedule has no systemd form. */
  units?: SystemdUnits;
  unitsError?: string;
}

/** The line `schedule backup --print` would give for these form values (pure: the same task functions). */
export function schedulePreview(values: Record<string, string>, ctx: ScheduleContext): SchedulePreview {
  const keep = readCount(values.keep ?? '', 'keep', null);
  if (keep.problem) return { error: keep.problem, next: [] };
  let fields: string;
  try {
    fields = cronFields(values.at ?? '');
  } catch (err) {
    return { error: oneLine(err), next: [] };
  }
  const args = scheduledBackupArgs({
    program: ctx.program,
    catmaidDir: ctx.catmaidDir,
    outDir: ctx.backupDir,
    keep: keep.value ?? undefined,
    format: values.format as BackupFormat,
  });
  const preview: SchedulePreview = { line: cronLine(fields, args, ctx.logFile), next: nextRuns(fields) };
  try {
    preview.units = systemdUnits(ctx.instanceName, fields, args);
  } catch (err) {
    preview.unitsError = oneLine(err);
  }
  return preview;
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

/** The form's values from an installed line (schedule, --keep, --format), so editing starts from what runs. */
export function valuesOfLine(line: string | null): Record<string, string> | null {
  const at = scheduleOfLine(line);
  if (!line || !at) return null;
  return {
    at,
    keep: /\s--keep\s+'?(\d+)/.exec(line)?.[1] ?? '',
    format: /\s--format\s+'?(custom|directory)/.exec(line)?.[1] ?? 'sql',
  };
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
