import type { Command } from 'commander';
import { backupEventLine } from '../tasks/backup/summary.js';
import { RefusedError, UsageError } from '../tasks/errors.js';
import { discoverInstance } from '../tasks/instance/index.js';
import { backupDirFor } from '../tasks/backup/backup-dir.js';
import { openTaskLog } from '../tasks/task-log.js';
import { allReleaseTags, fetchRemote } from '../tasks/update/git-target.js';
import { preflightUpdate } from '../tasks/update/preflight.js';
import { previewJson, previewLines } from '../tasks/update/report.js';
import { rollbackUpdate } from '../tasks/update/rollback.js';
import { runUpdate, UpdateStepError } from '../tasks/update/run.js';
import { sortedReleases } from '../tasks/release-tag.js';
import { confirmOrRefuse } from './confirm.js';
import { instanceOf, printJson } from './context.js';

interface UpdateFlags {
  to?: string;
  remote: string;
  dryRun?: boolean;
  yes?: boolean;
  skipBackup?: boolean;
  allowRunning?: boolean;
  rebase?: boolean;
  merge?: boolean;
  rollback?: boolean;
  out?: string;
  json?: boolean;
}

const say = (json: boolean | undefined, text: string) => process[json ? 'stderr' : 'stdout'].write(`${text}\n`);

async function rollback(command: Command, flags: UpdateFlags): Promise<void> {
  const located = await instanceOf(command);
  const info = await discoverInstance(located, { processes: false });
  if (!flags.yes) await confirmOrRefuse(`Roll back the last update of ${located.root} and restore its pre-update backup over database ${info.settings.settings.database.name}?`, false);
  const log = openTaskLog('update-rollback');
  log.redact(info.settings.settings.database.password);
  try {
    const result = await rollbackUpdate(info, {
      log,
      confirmed: true,
      onEvent: (event) => {
        if (event.type === 'step' && event.state !== 'running') say(flags.json, `${event.state === 'done' ? '✓' : '·'} ${event.title}${event.detail ? `: ${event.detail}` : ''}`);
        if (event.type === 'step' && event.state === 'running') say(flags.json, `… ${event.title}`);
      },
    });
    if (flags.json) printJson({ rolledBack: true, commit: result.commit, restoredBackup: result.restoredBackup, said: result.said, log: log.path });
    else say(false, [...result.said, `log: ${log.path}`].join('\n'));
  } finally {
    log.close();
  }
}

async function update(command: Command, flags: UpdateFlags): Promise<void> {
  if (flags.rebase && flags.merge) throw new UsageError('--rebase and --merge exclude each other');
  const located = await instanceOf(command);
  // The fetch runs while the instance is read; its error, if any, is reported by the pre-flight.
  const fetched = fetchRemote(located.root, flags.remote);
  fetched.catch(() => undefined);
  const info = await discoverInstance(located);
  const backupDir = await backupDirFor(located.root, flags.out);
  const preview = await preflightUpdate(info, {
    to: flags.to,
    remote: flags.remote,
    allowRunning: flags.allowRunning,
    integration: flags.rebase ? 'rebase' : flags.merge ? 'merge' : undefined,
    skipBackup: flags.skipBackup,
    backupDir,
    fetched,
  });
  if (flags.json && (flags.dryRun || preview.upToDate || preview.refusals.length > 0)) printJson({ dryRun: !!flags.dryRun, ...previewJson(preview) });
  else if (!flags.json) say(false, previewLines(preview).join('\n'));
  if (preview.upToDate) {
    say(flags.json, `already at ${preview.target.ref}: nothing to do`);
    return;
  }
  if (preview.refusals.length > 0) {
    throw new RefusedError(`refused: ${preview.refusals.map((c) => c.title).join('; ')}`, preview.refusals.map((c) => c.override).filter(Boolean).join(', ') || 'fix the above first');
  }
  if (flags.dryRun) {
    say(flags.json, 'dry run: nothing was changed');
    return;
  }
  await confirmOrRefuse(`Read the ${preview.releases.length} release note(s) above; update ${located.root} to ${preview.target.ref}?`, flags.yes);
  const log = openTaskLog('update');
  log.redact(info.settings.settings.database.password);
  previewLines(preview).forEach((line) => log.line(line));
  say(flags.json, `log: ${log.path}`);
  try {
    const summary = await runUpdate(info, preview, {
      backupDir,
      skipBackup: flags.skipBackup,
      log,
      onEvent: (event) => {
        if (event.type === 'backup') {
          const line = event.event.type === 'progress' ? null : backupEventLine(event.event);
          if (line) say(flags.json, `  backup: ${line}`);
        } else if (event.type === 'step' && event.state !== 'running') {
          say(flags.json, `${event.state === 'done' ? '✓' : '✗'} ${event.step.title}  ${event.seconds?.toFixed(1)} s`);
        }
      },
    });
    if (flags.json) printJson({ updated: true, ...summary });
    else {
      say(false, `\nUpdated ${summary.from} → ${summary.to}; ${summary.migrations.length} migration(s) applied.`);
      if (summary.backup) say(false, `Backup from before: ${summary.backup}`);
      say(false, `Now restart:\n${summary.restart.map((h) => `  ${h}`).join('\n')}`);
    }
  } catch (err) {
    if (err instanceof UpdateStepError) {
      process.stderr.write(`${err.tail.map((l) => `  | ${l}`).join('\n')}\n`);
      if (flags.json) printJson({ updated: false, failedStep: err.step.id, title: err.step.title, tail: err.tail, log: log.path, rollback: `catmaid-tui -C ${located.root} update --rollback` });
    }
    throw err;
  } finally {
    log.close();
  }
}

export function registerUpdate(program: Command): void {
  program
    .command('update')
    .description('update the instance: pre-flight, release notes, backup, git, pip, migrate, collectstatic, check')
    .option('--to <ref>', 'release tag (YYYY.MM.DD), branch or commit (default: the tracked branch, master)')
    .option('--remote <name>', 'git remote', 'origin')
    .option('--dry-run', 'show the full plan and change nothing')
    .option('--yes', 'do not ask (the release notes are printed; read them in the log)')
    .option('--skip-backup', 'no backup before updating (then a failed migration cannot be rolled back)')
    .option('--allow-running', 'update although a server process of this instance runs')
    .option('--rebase', "rebase local commits onto the target branch (CATMAID's administration manual advises this)")
    .option('--merge', 'merge the target branch into local commits')
    .option('--out <dir>', 'backup folder (default: the configured one)')
    .option('--rollback', 'undo the last update: old commit, its requirements, the pre-update backup')
    .option('--json', 'machine-readable output')
    .action(async (flags: UpdateFlags, command: Command) => (flags.rollback ? rollback(command, flags) : update(command, flags)));

  program
    .command('releases')
    .description('the releases this instance can be updated to')
    .option('--remote <name>', 'git remote', 'origin')
    .option('--json', 'machine-readable output')
    .action(async (flags: { remote: string; json?: boolean }, command: Command) => {
      const located = await instanceOf(command);
      const info = await discoverInstance(located, { database: false, processes: false });
      await fetchRemote(located.root, flags.remote);
      const current = 'error' in info.git ? null : info.git.latestRelease;
      const all = sortedReleases(await allReleaseTags(located.root)).map((r) => r.tag);
      const newer = current ? all.slice(all.indexOf(current) + 1) : all;
      if (flags.json) return printJson({ current, newer, all });
      say(false, `current release: ${current ?? 'none'}`);
      say(false, newer.length === 0 ? 'no newer release' : `newer releases (oldest first):\n${newer.map((t) => `  ${t}`).join('\n')}`);
      say(false, 'update with: catmaid-tui update --to <release>   (or the tracked branch without --to)');
    });
}
