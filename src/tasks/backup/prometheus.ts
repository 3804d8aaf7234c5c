import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { CliError } from '../errors.js';
import { reason } from './folder.js';
import { CHECK_EXIT, type BackupHealth } from './health.js';

/** A label value in the text exposition format: backslash, double quote and newline escaped. */
export const labelValue = (text: string): string => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

const seconds = (iso: string): number => Math.round(Date.parse(iso) / 1000);

/**
 * The check's figures for node_exporter's textfile collector. The instance's label is `catmaid`, not `instance`
 * (Prometheus sets that one to the scraped target). Times are Unix timestamps, so an alert computes ages itself
 * (`time() - catmaid_tui_backup_last_verified_timestamp_seconds > 26*3600`) however old the file is.
 */
export function prometheusText(health: BackupHealth, labels: { catmaid: string; database: string }): string {
  const at = `{catmaid="${labelValue(labels.catmaid)}",database="${labelValue(labels.database)}"}`;
  const lines: string[] = [];
  const metric = (name: string, help: string, value: number | null) => {
    if (value === null) return;
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name}${at} ${value}`);
  };
  metric('catmaid_tui_backup_check_status', 'backups --check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN', CHECK_EXIT[health.status]);
  metric('catmaid_tui_backup_verified_count', 'Verified backups of this database in the folder', health.verifiedCount);
  metric('catmaid_tui_backup_last_verified_timestamp_seconds', 'When the newest verified backup finished', health.newest && seconds(health.newest.finishedAt));
  metric('catmaid_tui_backup_last_verified_size_bytes', 'Size of the newest verified backup', health.newest?.sizeBytes ?? null);
  const run = health.lastScheduledRun;
  metric('catmaid_tui_backup_last_scheduled_run_timestamp_seconds', 'When the last scheduled backup started', run && seconds(run.startedAt));
  metric('catmaid_tui_backup_last_scheduled_run_success', '1 when the last scheduled backup succeeded', run && (run.ok ? 1 : 0));
  const test = health.lastRestoreTest;
  metric('catmaid_tui_backup_last_restore_test_timestamp_seconds', 'When a backup was last restore-tested', test && seconds(test.at));
  metric('catmaid_tui_backup_last_restore_test_success', '1 when the last restore test passed', test && (test.ok ? 1 : 0));
  return `${lines.join('\n')}\n`;
}

/**
 * Write the metrics file whole or not at all (the collector must never read half a file): a temporary file in
 * the same folder, renamed over. Readable by node_exporter's user (0644): it holds no secret.
 */
export async function writePrometheusFile(file: string, text: string): Promise<void> {
  const target = path.resolve(file);
  if ((await fs.lstat(target).catch(() => null))?.isSymbolicLink()) {
    throw new CliError(`--prometheus ${target} is a symbolic link; it was not written`, 1, 'name the file itself');
  }
  try {
    await writeFileAtomic(target, text, { mode: 0o644 });
  } catch (err) {
    throw new CliError(`cannot write ${target}: ${reason(err)}`, 1, "node_exporter's textfile folder must be writable by this user");
  }
}
