import { Option, type Command } from 'commander';
import { runBackup } from '../tasks/backup/backup.js';
import { backupDirFor } from '../tasks/backup/backup-dir.js';
import { quickInstance } from '../tasks/backup/quick-start.js';
import { DEFAULT_CRON } from '../tasks/backup/cron-expression.js';
import { instanceBackups } from '../tasks/backup/instance-backups.js';
import { BACKUP_FORMATS, type BackupFormat } from '../tasks/backup/naming.js';
import * as say from '../tasks/backup/summary.js';
import { progressLine } from '../tasks/backup/summary.js';
import { pgpassAction, scheduleAction } from './backup-schedule.js';
import { offerRebuild, restoreAction } from './restore.js';
import { interruptible, logged, statusWriter } from './task-run.js';
import { count, target } from './backup-target.js';
import { instanceOf, printJson } from './context.js';

interface BackupFlags {
  out?: string;
  format: BackupFormat;
  jobs?: number;
  withEdgeTable?: boolean;
  keep?: number;
  json?: boolean;
  quiet?: boolean;
  globals?: boolean;
}

async function backupAction(flags: BackupFlags, command: Command): Promise<void> {
  // pg_dump starts before the slow part of discovery (Django importing the settings) has finished: quick-start.ts.
  const located = await instanceOf(command);
  const [quick, outDir] = await Promise.all([quickInstance(located.root), backupDirFor(located.root, flags.out)]);
  const status = statusWriter(flags.quiet === true || flags.json === true);
  const result = await logged('backup', quick.db.password, async (log) => {
    const made = await interruptible((signal) =>
      runBackup({
        db: quick.db,
        confirmDb: quick.confirmDb ?? undefined,
        outDir,
        git: quick.git,
        root: located.root,
        format: flags.format,
        jobs: flags.jobs,
        withEdgeTable: flags.withEdgeTable,
        keep: flags.keep,
        globals: flags.globals,
        signal,
        log,
        onProgress: (event) => {
          if (event.type === 'progress') status.progress(progressLine(event));
          // A warning reaches cron's mail even with --quiet: it needs the admin.
          else if (event.type === 'warning') status.warn(say.backupEventLine(event));
          else status.line(say.backupEventLine(event));
        },
      }),
    );
    if (flags.json) printJson({ path: made.path, manifestPath: made.manifestPath, manifest: made.manifest, pruned: made.pruned });
    else if (!flags.quiet) process.stdout.write(`${say.manifestLines(made.path, made.manifest).join('\n')}\n`);
    return made;
  });
  if (result.emptyDerived.length && !flags.json && !flags.quiet) await offerRebuild(await target(command, flags.out), result.emptyDerived);
}

async function backupsAction(flags: { out?: string; json?: boolean }, command: Command): Promise<void> {
  const t = await target(command, flags.out);
  const listed = await instanceBackups(t.located.root, t.located.name, t.backupDir, t.info.settings.settings.database);
  if (flags.json) {
    printJson({ folder: listed.folder, backups: listed.entries, oldFolder: listed.oldFolder && { folder: listed.oldFolder.folder, backups: listed.oldFolder.entries } });
    return;
  }
  const out: string[] = [];
  out.push(listed.entries.length ? `${listed.folder}\n${say.table([say.BACKUP_HEADER, ...say.backupRows(listed.entries)])}` : `no backups in ${listed.folder}\n`);
  if (listed.oldFolder) {
    out.push(`\nin ${listed.oldFolder.folder}, the default folder of earlier versions (listed, never pruned):\n`);
    out.push(say.table([say.BACKUP_HEADER, ...say.backupRows(listed.oldFolder.entries)]));
  }
  process.stdout.write(out.join(''));
}

export function registerBackup(program: Command): void {
  const format = () => new Option('--format <format>', 'sql (plain), custom or directory').choices(BACKUP_FORMATS).default('sql');
  program
    .command('backup')
    .description('dump the database into a verified, private backup file with a manifest')
    .option('--out <dir>', 'backup folder (default: from the config, else under $XDG_DATA_HOME)')
    .addOption(format())
    .option('--jobs <n>', 'parallel dump jobs (directory format only)', count('--jobs'))
    .option('--with-edge-table', 'dump the rows of the derived tables too (left out by default: rebuilt on restore)')
    .option('--globals', 'also pg_dumpall --globals-only as the superuser (root on the database host), next to the dump, 0600')
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
    .command('restore [file]')
    .description('verify a backup, take a safety backup, restore it, rebuild the derived tables')
    .option('--yes', 'do not ask (needed without a terminal)')
    .option('--rebuild-derived', 'only rebuild the derived tables (edges, connector points), e.g. after a restore was cut off')
    .option('--no-safety-backup', 'skip the backup of the current database taken first')
    .option('--allow-version-mismatch', 'restore a backup made under another CATMAID commit')
    .option('--as-superuser', 'as root on the database host: restore as the PostgreSQL superuser (runuser -u postgres), creating a missing role and database')
    .option('--globals <file>', 'with --as-superuser: the pg_dumpall --globals-only file to create a missing role from (default: the one in the manifest)')
    .option('--jobs <n>', 'parallel pg_restore jobs (archives only; not one transaction then)', count('--jobs'))
    .option('--lock-wait <seconds>', 'without a terminal: how long to wait for a lock held by another session before giving up (rolled back)', count('--lock-wait'), 60)
    .option('--terminate-blockers', 'without a terminal: end the sessions whose locks the restore waits for, instead of giving up')
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
    .option('--globals', 'with the roles (pg_dumpall --globals-only; the job must run as root on the database host)')
    .addOption(format())
    .option('--print', 'only show the line (default)')
    .option('--install', 'add it to your crontab (once)')
    .option('--remove', 'take it out of your crontab')
    .option('--systemd', 'print a systemd service and timer instead')
    .option('--yes', 'do not ask before --install/--remove (needed without a terminal)')
    .action(scheduleAction);
  program
    .command('pgpass')
    .description('the .pgpass line for this instance: check (default), print or install it (mode 0600)')
    .option('--print', 'print the line (it holds the password)')
    .option('--install', 'add it to ~/.pgpass without duplicating it (asks; a copy of the file is kept)')
    .option('--yes', 'do not ask before --install (needed without a terminal)')
    .action(pgpassAction);
}
