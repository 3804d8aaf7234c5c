import { formatBytes } from '../bytes.js';
import { formatAge, type BackupEntry } from './list.js';
import { kindOf } from './manifest.js';
import { lastScheduledRun, runFailed, runReason, type BackupRun } from './runs.js';

/**
 * `backups --check`: the state of an instance's backups in the monitoring-plugins convention (Nagios, Icinga,
 * Zabbix's and Sensu's plugin runners, cron mail): one status line, perfdata after a `|`, and the exit code.
 */
export type CheckStatus = 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';
export const CHECK_EXIT: Record<CheckStatus, number> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };

export interface CheckOptions {
  /** CRITICAL when the newest verified backup is older. */
  maxAgeMs: number;
  /** CRITICAL when the newest is smaller than this share of the one before (same format, same encryption). */
  minSizeRatio: number;
  /** WARNING when the newest verified backup is older (optional, below maxAgeMs). */
  warnAgeMs?: number;
  now: Date;
}

export const DEFAULT_MAX_AGE = '26h';
export const DEFAULT_MIN_SIZE_RATIO = 0.5;

export interface BackupHealth {
  status: CheckStatus;
  /** The plugin output: `BACKUP OK - newest verified backup 7 h old, 61.0 MB | age=25200s;;93600;0 …`. */
  line: string;
  /** Why it is not OK, worst first. */
  problems: string[];
  newest: { file: string; finishedAt: string; ageSeconds: number; sizeBytes: number } | null;
  previousSizeBytes: number | null;
  verifiedCount: number;
  lastScheduledRun: { startedAt: string; ok: boolean; reason?: string } | null;
  lastRestoreTest: { file: string; at: string; ok: boolean; detail: string } | null;
}

const sameShape = (a: BackupEntry, b: BackupEntry): boolean =>
  a.manifest?.format === b.manifest?.format && Boolean(a.manifest?.encryption) === Boolean(b.manifest?.encryption);

/**
 * Judge the backups of one instance and database. `entries` are that instance's and database's (keep.ts
 * `ownedBy`), newest first, any state; only verified backups the admin asked for (not safety or pre-update ones)
 * count for age and size. Pure: the caller reads the folder and the run records.
 */
export function backupHealth(entries: readonly BackupEntry[], runs: readonly BackupRun[], options: CheckOptions, isAlive?: (pid: number) => boolean): BackupHealth {
  const now = options.now.getTime();
  const verified = entries.filter((e) => e.state === 'verified' && kindOf(e.manifest!) === 'backup');
  const newestEntry = verified[0];
  const previous = newestEntry ? verified.slice(1).find((e) => sameShape(e, newestEntry)) : undefined;
  const finished = (e: BackupEntry) => new Date(e.manifest!.finishedAt).getTime();
  const newest = newestEntry && {
    file: newestEntry.path,
    finishedAt: newestEntry.manifest!.finishedAt,
    ageSeconds: Math.max(0, Math.round((now - finished(newestEntry)) / 1000)),
    sizeBytes: newestEntry.manifest!.sizeBytes,
  };
  const scheduled = lastScheduledRun(runs);
  const tested = entries.filter((e) => e.manifest?.restoreTest).sort((a, b) => b.manifest!.restoreTest!.at.localeCompare(a.manifest!.restoreTest!.at))[0];
  const lastRestoreTest = tested ? { file: tested.path, ...tested.manifest!.restoreTest! } : null;

  const critical: string[] = [];
  const warning: string[] = [];
  if (scheduled && runFailed(scheduled, isAlive)) {
    critical.push(`last scheduled backup failed ${formatAge(now - Date.parse(scheduled.finishedAt ?? scheduled.startedAt))} ago: ${runReason(scheduled, isAlive)}`);
  }
  if (!newest) critical.push('no verified backup of this database');
  else if (newest.ageSeconds * 1000 > options.maxAgeMs) critical.push(`newest verified backup is ${formatAge(newest.ageSeconds * 1000)} old (more than ${formatAge(options.maxAgeMs)})`);
  else if (options.warnAgeMs !== undefined && newest.ageSeconds * 1000 > options.warnAgeMs) warning.push(`newest verified backup is ${formatAge(newest.ageSeconds * 1000)} old`);
  if (newest && previous && newest.sizeBytes < previous.manifest!.sizeBytes * options.minSizeRatio) {
    critical.push(`newest verified backup is ${formatBytes(newest.sizeBytes)}, much smaller than the one before (${formatBytes(previous.manifest!.sizeBytes)})`);
  }
  if (lastRestoreTest && !lastRestoreTest.ok) warning.push(`the last restore test failed: ${lastRestoreTest.detail}`);

  const status: CheckStatus = critical.length ? 'CRITICAL' : warning.length ? 'WARNING' : 'OK';
  const problems = [...critical, ...warning];
  const summary = problems.length
    ? problems.join('; ')
    : `newest verified backup ${formatAge(newest!.ageSeconds * 1000)} old, ${formatBytes(newest!.sizeBytes)}${lastRestoreTest ? `; restore-tested ✓ ${formatAge(now - Date.parse(lastRestoreTest.at))} ago` : ''}`;
  const perf = perfdata(newest?.ageSeconds ?? null, newest?.sizeBytes ?? null, verified.length, options);
  return {
    status,
    line: `BACKUP ${status} - ${pluginText(summary)} | ${perf}`,
    problems,
    newest: newest ?? null,
    previousSizeBytes: previous?.manifest!.sizeBytes ?? null,
    verifiedCount: verified.length,
    lastScheduledRun: scheduled
      ? { startedAt: scheduled.startedAt, ok: !runFailed(scheduled, isAlive), ...(runFailed(scheduled, isAlive) ? { reason: runReason(scheduled, isAlive) } : {}) }
      : null,
    lastRestoreTest,
  };
}

/** `label=value[UOM];[warn];[crit];[min];[max]` as the monitoring-plugins guidelines have it; unknown values as `U`. */
function perfdata(ageSeconds: number | null, sizeBytes: number | null, count: number, options: CheckOptions): string {
  const seconds = (ms: number | undefined) => (ms === undefined ? '' : String(Math.round(ms / 1000)));
  return [
    `age=${ageSeconds ?? 'U'}s;${seconds(options.warnAgeMs)};${seconds(options.maxAgeMs)};0`,
    `size=${sizeBytes ?? 'U'}B;;;0`,
    `verified_backups=${count};;;0`,
  ].join(' ');
}

/** Plugin output is one line, and `|` starts the perfdata. */
const pluginText = (text: string): string => text.replace(/\s*\n\s*/g, ' · ').replace(/\|/g, '/');

/** The line for a check that could not judge (no folder to read, a broken config): exit 3. */
export const unknownLine = (why: string): string => `BACKUP UNKNOWN - ${pluginText(why)}`;

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** `26h`, `90m`, `1d12h`, `3600` (seconds) → milliseconds; null when it is none of those. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) > 0 ? Number(trimmed) * 1000 : null;
  if (!/^(\d+(\.\d+)?[smhdw])+$/.test(trimmed)) return null;
  let seconds = 0;
  for (const [, n, , unit] of trimmed.matchAll(/(\d+(\.\d+)?)([smhdw])/g)) seconds += Number(n) * UNITS[unit];
  return seconds > 0 ? Math.round(seconds * 1000) : null;
}
