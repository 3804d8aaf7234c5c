import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import { Option, type Command } from 'commander';
import { runBackup } from '../tasks/backup/backup.js';
import { DEFAULT_CRON } from '../tasks/backup/cron-expression.js';
import { listBackups } from '../tasks/backup/list.js';
import { BACKUP_FORMATS, type BackupFormat } from '../tasks/backup/naming.js';
import { runRestore } from '../tasks/backup/restore.js';
import * as say from '../tasks/backup/summary.js';
import { progressLine } from '../tasks/backup/summary.js';
import { oneLine } from '../tasks/errors.js';
import { openTaskLog, type TaskLog } from '../tasks/task-log.js';
import { pgpassAction, scheduleAction } from './backup-schedule.js';
import { count, target } from './backup-target.js';
import { printJson } from './context.js';

/** SIGINT/SIGTERM abort the task (which cleans up) instead of killing the process half-way. */
async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** Progress on stderr: a rewritten line in a terminal, only the milestones otherwise. */
function statusWriter(quiet: boolean) {
  const live = process.stderr.isTTY === true;
  let pending = false;
  return {
    line(text: string | null) {
      if (quiet || text === null) return;
      if (pending) process.stderr.write('\r\x1b[K');
      pending = false;
      process.stderr.write(`${text}\n`);
    },
    progress(text: string) {
      if (quiet || !live) return;
      process.stderr.write(`\r\x1b[K${text}`);
      pending = true;
    },
  };
}

/** Run with a task log that records the outcome, failures included, and is always closed. */
async function logged<T>(name: string, password: string, work: (log: TaskLog) => Promise<T>): Promise<T> {
  const log = openTaskLog(name);
  log.redact(password);
  try {
    return await work(log);
  } catch (err) {
    log.line(`failed: ${oneLine(err)}`);
    throw err;
  } finally {
    log.close();
  }
}

interface BackupFlags {
  out?: string;
  format: BackupFormat;
  jobs?: number;
  withEdgeTable?: boolean;
  keep?: number;
  json?: boolean;
  quiet?: boolean;
}

async function backupAction(flags: BackupFlags, command: Command): Promise<void> {
  const t = await target(command, flags.out);
  const db = t.info.settings.settings.database;
  const status = statusWriter(flags.quiet === true || flags.json === true);
  await logged('backup', db.password, async (log) => {
    const result = await interruptible((signal) =>
      runBackup({
        db,
        outDir: t.backupDir,
        git: t.git,
        format: flags.format,
        jobs: flags.jobs,
        withEdgeTable: flags.withEdgeTable,
        keep: flags.keep,
        signal,
        log,
        onProgress: (event) =>
          event.type === 'progress' ? status.progress(progressLine(event)) : status.line(say.backupEventLine(event)),
      }),
    );
    if (flags.json) printJson({ path: result.path, manifestPath: result.manifestPath, manifest: result.manifest, pruned: result.pruned });
    else if (!flags.quiet) process.stdout.write(`${say.manifestLines(result.path, result.manifest).join('\n')}\n`);
  });
}

async function backupsAction(flags: { out?: string; json?: boolean }, command: Command): Promise<void> {
  const t = await target(command, flags.out);
  const entries = await listBackups(t.backupDir);
  if (flags.json) {
    printJson({ folder: t.backupDir, backups: entries });
    return;
  }
  if (entries.length === 0) {
    process.stdout.write(`no backups in ${t.backupDir}\n`);
    return;
  }
  process.stdout.write(`${t.backupDir}\n${say.table([['STATE', 'AGE', 'SIZE', 'FORMAT', 'VERSION', 'FILE'], ...say.backupRows(entries)])}`);
}

interface RestoreFlags {
  yes?: boolean;
  safetyBackup: boolean;
  allowVersionMismatch?: boolean;
  jobs?: number;
  json?: boolean;
}

/** A bare file name that is not in the current folder is looked up in the backup folder. */
function resolveDump(file: string, backupDir: string): string {
  if (fs.existsSync(file) || path.isAbsolute(file) || file.includes('/')) return path.resolve(file);
  return path.join(backupDir, file);
}

async function askDatabaseName(name: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(`This replaces all data in database ${name}. Type its name to go on: `)).trim() === name;
  } finally {
    rl.close();
  }
}

async function restoreAction(file: string, flags: RestoreFlags, command: Command): Promise<void> {
  const t = await target(command);
  const db = t.info.settings.settings.database;
  const status = statusWriter(flags.json === true);
  await logged('restore', db.password, async (log) => {
    const result = await interruptible((signal) =>
      runRestore({
        db,
        file: resolveDump(file, t.backupDir),
        currentCommit: t.git.commit,
        allowVersionMismatch: flags.allowVersionMismatch === true,
        confirmed: flags.yes === true,
        confirm: () => askDatabaseName(db.name),
        safetyBackup: flags.safetyBackup ? { outDir: t.backupDir, git: t.git } : false,
        python: t.info.layout.python,
        managePy: t.info.layout.managePy,
        jobs: flags.jobs,
        signal,
        log,
        onProgress: (event) => {
          if (event.type === 'progress') status.progress(progressLine(event));
          else if (event.type === 'safety-backup' && event.event.type === 'progress') status.progress(progressLine(event.event));
          else if (event.type !== 'safety-backup') status.line(say.restoreEventLine(event));
        },
      }),
    );
    if (flags.json) printJson(result);
    else process.stdout.write(`restored ${result.inspection.path} into ${db.name}${result.safetyBackup ? `; safety backup: ${result.safetyBackup}` : ''}\n`);
  });
}

export function registerBackup(program: Command): void {
  const format = () => new Option('--format <format>', 'sql (plain), custom or directory').choices(BACKUP_FORMATS).default('sql');
  program
    .command('backup')
    .description('dump the database into a verified, private backup file with a manifest')
    .option('--out <dir>', 'backup folder (default: from the config, else under $XDG_DATA_HOME)')
    .addOption(format())
    .option('--jobs <n>', 'parallel dump jobs (directory format only)', count('--jobs'))
    .option('--with-edge-table', 'dump treenode_edge rows too (left out by default: rebuilt on restore)')
    .option('--keep <n>', 'then delete the oldest verified backups of this database beyond N', count('--keep'))
    .option('--json', 'print the result as JSON')
    .option('--quiet', 'print nothing unless it fails (for cron)')
    .action(backupAction);
  program
    .command('backups')
    .description('list the backups in the folder: state, age, size, version')
    .option('--out <dir>', 'backup folder')
    .option('--json', 'machine-readable output')
    .action(backupsAction);
  program
    .command('restore <file>')
    .description('verify a backup, take a safety backup, restore it, rebuild the edge table')
    .option('--yes', 'do not ask (needed without a terminal)')
    .option('--no-safety-backup', 'skip the backup of the current database taken first')
    .option('--allow-version-mismatch', 'restore a backup made under another CATMAID commit')
    .option('--jobs <n>', 'parallel pg_restore jobs (archives only; not one transaction then)', count('--jobs'))
    .option('--json', 'print the result as JSON')
    .action(restoreAction);
  program
    .command('schedule')
    .description('scheduled tasks')
    .command('backup')
    .description('the crontab line (or systemd timer) for a nightly backup: print, install or remove it')
    .option('--at <cron>', 'cron schedule', DEFAULT_CRON)
    .option('--out <dir>', 'backup folder')
    .option('--keep <n>', 'keep the newest N backups', count('--keep'))
    .addOption(format())
    .option('--print', 'only show the line (default)')
    .option('--install', 'add it to your crontab (once)')
    .option('--remove', 'take it out of your crontab')
    .option('--systemd', 'print a systemd service and timer instead')
    .action(scheduleAction);
  program
    .command('pgpass')
    .description('the .pgpass line for this instance: check (default), print or install it (mode 0600)')
    .option('--print', 'print the line (it holds the password)')
    .option('--install', 'add it to ~/.pgpass without duplicating it')
    .action(pgpassAction);
}
