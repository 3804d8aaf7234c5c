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
import { printJson } from './context.js';
import { checkAction, checkDefaults, type CheckFlags } from './backups-check.js';
import { pruneAction } from './backups-prune.js';
import { restoreTestProblem, verifyAction } from './backup-verify.js';
import { unknownLine } from '../tasks/backup/health.js';
import { CliError } from '../tasks/errors.js';
import { addRetentionOptions, retentionOf, type RetentionFlags } from './retention-flags.js';
import { copiesAfter, copyProblems, recordedBackup, restoreTestIfDue, runTargets, type RunFlags } from './backup-run.js';

interface BackupFlags extends RetentionFlags, RunFlags {
  out?: string;
  encryptTo: string[];
  format: BackupFormat;
  jobs?: number;
  withEdgeTable?: boolean;
  json?: boolean;
  quiet?: boolean;
  globals?: boolean;
}

async function backupAction(flags: BackupFlags, command: Command): Promise<void> {
  const { copyTo } = runTargets(flags);
  await recordedBackup(flags, command, async (run, located) => {
    // pg_dump starts before the slow part of discovery (Django importing the settings) has finished: quick-start.ts.
    const [quick, outDir] = await Promise.all([quickInstance(located.root), backupDirFor(located.root, flags.out)]);
    run.database = quick.db.name;
    const status = statusWriter(flags.quiet === true || flags.json === true);
    const done = await logged('backup', quick.db.password, async (log) => {
      run.log = log;
      return interruptible(async (signal) => {
        const result = await runBackup({
          db: quick.db,
          confirmDb: quick.confirmDb ?? undefined,
          outDir,
          git: quick.git,
          root: located.root,
          format: flags.format,
          jobs: flags.jobs,
          withEdgeTable: flags.withEdgeTable,
          retention: retentionOf(flags),
          globals: flags.globals,
          encryptTo: flags.encryptTo,
          signal,
          log,
          onProgress: (event) => {
            if (event.type === 'progress') status.progress(progressLine(event));
            // A warning reaches cron's mail even with --quiet: it needs the admin.
            else if (event.type === 'warning') status.warn(say.backupEventLine(event));
            else status.line(say.backupEventLine(event));
          },
        });
        const m = result.manifest;
        const place = { root: located.root, db: { ...quick.db, name: m.database, host: m.host, port: m.port }, backupDir: outDir };
        const copies = await copiesAfter(place, result, copyTo, { sshConfig: flags.sshConfig, log, signal });
        for (const copy of copies) (copy.ok ? status.line : status.warn)(`copy to ${copy.destination}: ${copy.ok ? `verified (${copy.detail})` : `failed: ${copy.detail}`}`);
        const tested = await restoreTestIfDue(place, result, flags.restoreTestEvery, { identity: flags.restoreTestIdentity, log, signal, say: (text) => status.line(text) });
        if (tested && !tested.ok) status.warn(`restore test FAILED: ${tested.detail}`);
        if (flags.json) printJson({ path: result.path, manifestPath: result.manifestPath, manifest: result.manifest, pruned: result.pruned, copies, restoreTest: tested });
        else if (!flags.quiet) process.stdout.write(`${say.manifestLines(result.path, result.manifest).join('\n')}\n`);
        return { result, copies, tested };
      });
    });
    if (done.result.emptyDerived.length && !flags.json && !flags.quiet) await offerRebuild(await target(command, flags.out), done.result.emptyDerived);
    return {
      file: done.result.path,
      sizeBytes: done.result.manifest.sizeBytes,
      pruned: done.result.pruned,
      copies: done.copies,
      ...(done.tested ? { restoreTest: { ok: done.tested.ok, detail: done.tested.detail } } : {}),
      problems: [...copyProblems(done.copies), ...(done.tested ? restoreTestProblem(done.tested) : [])],
    };
  });
}

async function backupsAction(flags: CheckFlags, command: Command): Promise<void> {
  if (flags.check || flags.prometheus) return checkAction(flags, command);
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

/** commander collector for repeatable options. */
const collect = (value: string, all: string[]): string[] => [...all, value];

export function registerBackup(program: Command): void {
  const format = () => new Option('--format <format>', 'sql (plain), custom or directory').choices(BACKUP_FORMATS).default('sql');
  const backup = program
    .command('backup')
    .description('dump the database into a verified, private backup file with a manifest; then apply retention (--keep…)')
    .option('--out <dir>', 'backup folder (default: from the config, else under $XDG_DATA_HOME)')
    .addOption(format())
    .option('--jobs <n>', 'parallel dump jobs (directory format only)', count('--jobs'))
    .option('--with-edge-table', 'dump the rows of the derived tables too (left out by default: rebuilt on restore)')
    .option('--globals', 'also pg_dumpall --globals-only as the superuser (root on the database host), next to the dump, 0600')
    .option('--encrypt-to <recipient>', 'encrypt with age while dumping: a public key (age1…, ssh-ed25519 …) or a recipients file; repeatable', collect, [])
    .option('--copy-to <dest>', 'then copy it, verified, to a folder or user@host:folder (rsync over ssh); repeatable', collect, [])
    .option('--ssh-config <file>', 'ssh config for --copy-to hosts (host, port, key, known hosts)')
    .option('--restore-test-every <duration>', 'then restore-test it when no backup passed a restore test within this time (e.g. 7d)')
    .option('--restore-test-identity <file>', 'the age identity file that decrypts an encrypted backup for its restore test')
    .option('--scheduled', "record and report this run as the scheduled job's (cron and systemd lines pass it)")
    .option('--mail-to <address>', 'mail a failed scheduled run there (default: this user, through the local MTA)')
    .option('--notify-command <program>', 'run this on a failed scheduled run instead of mailing: a program, or a JSON array of it and its arguments');
  backup
    .command('verify <file>')
    .description('read a backup whole against its manifest; --restore-test: restore it into a throwaway database and compare')
    .option('--restore-test', 'restore into a throwaway database (or a temporary cluster), rebuild, compare row counts and checksums')
    .option('--identity <file>', 'the age identity (private key) file of an encrypted backup')
    .action(verifyAction);
  addRetentionOptions(backup)
    .option('--json', 'print the result as JSON')
    .option('--quiet', 'print nothing unless it fails (for cron)')
    .action(backupAction);
  const backups = program
    .command('backups')
    .description('list the backups in the folder: state, age, size, version; or check them for monitoring')
    .option('--out <dir>', 'backup folder')
    .option('--json', 'machine-readable output')
    .option('--check', 'monitoring check: one status line with perfdata; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN')
    .option('--max-age <duration>', 'CRITICAL when the newest verified backup is older (e.g. 26h, 2d)', checkDefaults.maxAge)
    .option('--warn-age <duration>', 'WARNING when it is older than this')
    .option('--min-size-ratio <r>', 'CRITICAL when the newest is smaller than r × the one before', checkDefaults.minSizeRatio)
    .option('--prometheus <file>', "write the check's figures for node_exporter's textfile collector (atomically)")
    .action(backupsAction);
  // A monitoring check that cannot even parse its flags is UNKNOWN (3), said on stdout, not bad usage (2).
  backups.exitOverride((err) => {
    if (process.argv.includes('--check') && err.exitCode !== 0) {
      process.stdout.write(`${unknownLine(err.message.replace(/^error: /, ''))}\n`);
      throw new CliError(err.message.replace(/^error: /, ''), 3);
    }
    throw err;
  });
  addRetentionOptions(
    backups
      .command('prune')
      .description('apply retention to the backup folder (--out, --json as for backups): only verified, unpinned backups of this instance and database')
      .option('--dry-run', 'list what would be removed, remove nothing')
      .option('--yes', 'do not ask (needed without a terminal)'),
  ).action(pruneAction);
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
    .option('--identity <file>', 'the age identity (private key) file that decrypts an encrypted backup')
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
