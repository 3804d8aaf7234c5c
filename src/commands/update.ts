import type { Command } from 'commander';
import { RefusedError, UsageError } from '../tasks/errors.js';
import { discoverInstance } from '../tasks/instance/index.js';
import { backupDirFor } from '../tasks/backup/backup-dir.js';
import { openTaskLog } from '../tasks/task-log.js';
import { allReleaseTags, fetchRemote, targetChoices } from '../tasks/update/git-target.js';
import { preflightUpdate } from '../tasks/update/preflight.js';
import { REQUIREMENT_NAMES } from '../tasks/update/requirements/parse.js';
import { previewJson, previewLines } from '../tasks/update/report.js';
import { runUpdate, UpdateStepError } from '../tasks/update/run.js';
import { confirmOrRefuse } from './confirm.js';
import { updateEventPrinter, resume, rollback, say, type UndoFlags } from './update-undo.js';
import { instanceOf, printJson } from './context.js';

interface UpdateFlags extends UndoFlags {
  to?: string;
  remote: string;
  dryRun?: boolean;
  skipBackup?: boolean;
  allowRunning?: boolean;
  rebase?: boolean;
  merge?: boolean;
  rollback?: boolean;
  resume?: boolean;
  ignoreRequirement: string[];
  url?: string;
  healthTimeout?: string;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 3600) throw new UsageError(`--health-timeout ${value}: seconds between 1 and 3600`);
  return n;
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
    systemPython: flags.systemPython,
    ignoreRequirements: flags.ignoreRequirement,
    url: flags.url,
    healthTimeoutSeconds: flags.healthTimeout === undefined ? undefined : seconds(flags.healthTimeout),
  });
  if (flags.json && (flags.dryRun || preview.upToDate || preview.refusals.length > 0)) printJson({ dryRun: !!flags.dryRun, ...previewJson(preview) });
  else if (!flags.json) say(false, previewLines(preview).join('\n'));
  if (preview.upToDate) {
    say(flags.json, `already at ${preview.target.ref}: nothing to do`);
    return;
  }
  if (preview.refusals.length > 0) {
    const unfinished = preview.refusals.some((c) => c.id === 'unfinished');
    const hint = unfinished ? 'catmaid-tui update --resume, or catmaid-tui update --rollback' : preview.refusals.map((c) => c.override).filter(Boolean).join(', ') || 'fix the above first';
    throw new RefusedError(`refused: ${preview.refusals.map((c) => c.title).join('; ')}`, hint);
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
      log,
      onEvent: updateEventPrinter(flags.json),
    });
    if (flags.json) printJson({ updated: true, ...summary });
    else {
      say(false, `\nUpdated ${summary.from} → ${summary.to}; ${summary.migrations.length} migration(s) applied.`);
      if (summary.backup) say(false, `Backup from before: ${summary.backup}`);
      if (summary.restart.length > 0) say(false, `Now restart:\n${summary.restart.map((h) => `  ${h}`).join('\n')}`);
      else say(false, 'The services run again and answered the health checks.');
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
    .option('--rollback', 'undo the last update: old commit, its requirements, the pre-update backup (all checked first)')
    .option('--resume', 'go on with an unfinished update (killed, or stopped at a failed step) from its first step not done')
    .option('--ignore-requirement <name>', `update although this requirement of the release notes is not met (${REQUIREMENT_NAMES.join(', ')}); repeatable`, (value: string, all: string[]) => [...all, value], [])
    .option('--url <url>', "CATMAID's address for the maintenance page and health checks (default: found in nginx's configuration)")
    .option('--health-timeout <seconds>', 'how long the started services may take to answer the health checks (default 60)')
    .option('--system-python', 'let pip install into the system Python when the instance has no django/env')
    .option('--json', 'machine-readable output')
    .action(async (flags: UpdateFlags, command: Command) => {
      if (flags.rollback && flags.resume) throw new UsageError('--rollback and --resume exclude each other');
      if (flags.rollback) return rollback(command, flags);
      if (flags.resume) return resume(command, flags, (root) => backupDirFor(root, flags.out));
      return update(command, flags);
    });

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
      const [all, choices] = await Promise.all([allReleaseTags(located.root), targetChoices(located.root, flags.remote, current)]);
      const newer = choices.filter((c) => c.kind === 'tag').map((c) => c.ref);
      const branch = choices.find((c) => c.kind === 'branch');
      if (flags.json) return printJson({ current, newer, all, branch: branch ? { ref: branch.ref, label: branch.label } : null });
      say(false, `current release: ${current ?? 'none'}`);
      if (branch) say(false, `tracked branch: ${branch.label}`);
      say(false, newer.length === 0 ? 'no newer release' : `newer releases (oldest first):\n${newer.map((t) => `  ${t}`).join('\n')}`);
      say(false, 'update with: catmaid-tui update --to <release>   (or the tracked branch without --to)');
    });
}
