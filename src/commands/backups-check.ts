import type { Command } from 'commander';
import { CHECK_EXIT, DEFAULT_MAX_AGE, DEFAULT_MIN_SIZE_RATIO, parseDuration, unknownLine, type CheckOptions } from '../tasks/backup/health.js';
import { prometheusText, writePrometheusFile } from '../tasks/backup/prometheus.js';
import { backupStatus } from '../tasks/backup/status.js';
import { oneLine, UsageError } from '../tasks/errors.js';
import { target } from './backup-target.js';
import { printJson } from './context.js';

export interface CheckFlags {
  out?: string;
  check?: boolean;
  maxAge: string;
  warnAge?: string;
  minSizeRatio: string;
  prometheus?: string;
  json?: boolean;
}

function checkOptions(flags: CheckFlags): CheckOptions {
  const maxAgeMs = parseDuration(flags.maxAge);
  if (maxAgeMs === null) throw new UsageError(`--max-age ${flags.maxAge}: not a duration`, 'e.g. 26h, 90m, 2d, or seconds');
  const warnAgeMs = flags.warnAge === undefined ? undefined : parseDuration(flags.warnAge);
  if (warnAgeMs === null) throw new UsageError(`--warn-age ${flags.warnAge}: not a duration`, 'e.g. 20h');
  const minSizeRatio = Number(flags.minSizeRatio);
  if (!Number.isFinite(minSizeRatio) || minSizeRatio < 0 || minSizeRatio > 1) throw new UsageError(`--min-size-ratio ${flags.minSizeRatio}: a number from 0 to 1`);
  return { maxAgeMs, minSizeRatio, ...(warnAgeMs !== undefined ? { warnAgeMs } : {}), now: new Date() };
}

/**
 * `backups --check` and `backups --prometheus FILE`. With --check the exit code is the monitoring-plugins one
 * (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN) and anything that keeps it from judging, bad flags included, is UNKNOWN
 * on stdout: a plugin runner reads stdout and the code, nothing else.
 */
export async function checkAction(flags: CheckFlags, command: Command): Promise<void> {
  try {
    const options = checkOptions(flags);
    const t = await target(command, flags.out);
    const status = await backupStatus(t.located.root, t.backupDir, t.info.settings.settings.database, options);
    if (flags.prometheus) {
      await writePrometheusFile(flags.prometheus, prometheusText(status.health, { catmaid: t.located.name, database: t.info.settings.settings.database.name }));
    }
    if (!flags.check) return;
    if (flags.json) printJson({ folder: status.folder, ...status.health, exitCode: CHECK_EXIT[status.health.status] });
    else process.stdout.write(`${status.health.line}\n`);
    process.exitCode = CHECK_EXIT[status.health.status];
  } catch (err) {
    if (!flags.check) throw err;
    process.stdout.write(`${unknownLine(oneLine(err))}\n`);
    process.exitCode = CHECK_EXIT.UNKNOWN;
  }
}

export const checkDefaults = { maxAge: DEFAULT_MAX_AGE, minSizeRatio: String(DEFAULT_MIN_SIZE_RATIO) };
