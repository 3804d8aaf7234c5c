import path from 'node:path';
import { compareReleases, parseReleaseTag } from '../release-tag.js';
import type { InstanceLayout } from '../instance/types.js';
import type { UpdateTarget } from './git-target.js';
import type { Probe } from './services/health.js';

/** The release every older instance must pass through (its migrations were squashed after it). */
export const SQUASH_RELEASE = '2015.12.21';

export type StepId =
  | 'services-stop' | 'maintenance' | 'backup'
  | 'git' | 'pip' | 'migrate-plan' | 'migrate' | 'fake-initial' | 'collectstatic' | 'check'
  | 'services-start' | 'health-web' | 'health-websocket' | 'health-celery';

export interface PlannedCommand {
  file: string;
  args: string[];
  cwd: string;
}

/**
 * One step of an update: commands (most steps one), the pre-update backup, or a probe of the web server. The
 * whole list goes into the journal, so `--resume` runs what is left of it, services and health checks included.
 */
export interface UpdateStep {
  id: StepId;
  /** 1, or 1 and 2 when the update passes through 2015.12.21 first. */
  stage: number;
  title: string;
  command?: PlannedCommand;
  /** More commands run in order (stopping supervisord programs and systemd units). */
  more?: PlannedCommand[];
  probe?: Probe;
}

/** What the services part of an update does (from services/setup.ts and services/web.ts). */
export interface ServicesPlan {
  stop: PlannedCommand[];
  start: PlannedCommand[];
  /** The probes after the start (web page, websocket, celery); the maintenance probe while stopped. */
  maintenance: Probe | null;
  health: Probe[];
}

/** How a branch update joins local commits: fast-forward only (none), or the admin's choice. */
export type Integration = 'ff-only' | 'rebase' | 'merge';

/**
 * The 2015.12.21 rule: from a release older than 2015.12.21 to a newer target, update to 2015.12.21 first, migrate,
 * and mark the squashed initial migration as applied; then go on.
 */
export function needsSquashStage(current: string | null, target: string | null, tags: string[]): boolean {
  const squash = parseReleaseTag(SQUASH_RELEASE);
  const from = current ? parseReleaseTag(current) : null;
  const to = target ? parseReleaseTag(target) : null;
  if (!squash || !from || !tags.some((t) => parseReleaseTag(t) && compareReleases(parseReleaseTag(t)!, squash) === 0)) {
    return false;
  }
  return compareReleases(from, squash) < 0 && (to === null || compareReleases(to, squash) > 0);
}

/**
 * Stage 1 of a branch update stops at the squash release on the branch itself (not a detached checkout), so that
 * stage 2's `git pull` moves the branch on rather than a detached HEAD.
 */
function squashGitStep(root: string, target: UpdateTarget, remote: string, how: Integration): PlannedCommand {
  if (target.kind !== 'branch') return gitStep(root, { kind: 'tag', ref: SQUASH_RELEASE }, remote, how);
  const args = how === 'rebase' ? ['rebase', '--', SQUASH_RELEASE] : how === 'merge' ? ['merge', '--no-edit', '--', SQUASH_RELEASE] : ['merge', '--ff-only', '--', SQUASH_RELEASE];
  return { file: 'git', args, cwd: root };
}

/** Refs here were checked by resolveTarget (none starts with `-`); `--` ends git's options wherever git takes it. */
function gitStep(root: string, target: { kind: UpdateTarget['kind']; ref: string }, remote: string, how: Integration): PlannedCommand {
  if (target.kind !== 'branch') return { file: 'git', args: ['checkout', target.ref], cwd: root };
  const mode = how === 'rebase' ? ['--rebase'] : how === 'merge' ? ['--no-rebase', '--no-edit'] : ['--ff-only'];
  return { file: 'git', args: ['pull', ...mode, '--', remote, target.ref], cwd: root };
}

function stageSteps(layout: InstanceLayout, stage: number, git: PlannedCommand, fakeInitial: boolean): UpdateStep[] {
  const manage = (...args: string[]): PlannedCommand => ({ file: layout.python, args: [layout.managePy, ...args], cwd: layout.root });
  const requirements = path.join(layout.djangoDir, 'requirements.txt');
  const steps: UpdateStep[] = [
    // The title reads as the administration manual writes it; the command (shown by --dry-run) keeps its `--`.
    { id: 'git', stage, title: `${git.file} ${git.args.filter((a) => a !== '--').join(' ')}`, command: git },
    {
      id: 'pip',
      stage,
      title: 'pip install -r requirements.txt',
      command: { file: layout.python, args: ['-m', 'pip', 'install', '--disable-pip-version-check', '-r', requirements], cwd: layout.root },
    },
    { id: 'migrate-plan', stage, title: 'manage.py migrate --plan', command: manage('migrate', '--plan') },
    { id: 'migrate', stage, title: 'manage.py migrate', command: manage('migrate', '--noinput') },
  ];
  if (fakeInitial) {
    steps.push({ id: 'fake-initial', stage, title: 'manage.py migrate --fake catmaid 0001_initial', command: manage('migrate', '--fake', 'catmaid', '0001_initial') });
  }
  return steps;
}

export interface PlanInput {
  layout: InstanceLayout;
  target: UpdateTarget;
  remote: string;
  integration: Integration;
  /** Pass through 2015.12.21 first. */
  squashStage: boolean;
  /** A backup step before the code changes (false with --skip-backup). */
  backup?: boolean;
  services?: ServicesPlan;
}

const HEALTH_IDS: Record<Probe['kind'], StepId> = { maintenance: 'maintenance', http: 'health-web', websocket: 'health-websocket', celery: 'health-celery' };

/** A probe's step title, as the plan shows it. */
export function probeTitle(probe: Probe): string {
  switch (probe.kind) {
    case 'maintenance':
      return `maintenance page: ${probe.web.url} answers 502/503`;
    case 'http':
      return `health: GET ${probe.web.url} answers 2xx/3xx`;
    case 'websocket':
      return `health: websocket ${probe.web.websocketPath ?? 'channels/updates/'} upgrades`;
    case 'celery':
      return 'health: celery answers inspect ping';
  }
}

const commandsStep = (id: StepId, stage: number, verb: string, commands: PlannedCommand[]): UpdateStep => ({
  id,
  stage,
  title: `${verb}: ${commands.map((c) => [c.file, ...c.args.filter((a, i) => !(c.file === 'supervisorctl' && (a === '-c' || c.args[i - 1] === '-c')))].join(' ')).join(' · ')}`,
  command: commands[0],
  more: commands.slice(1),
});

/**
 * Every step of the update, in order, with its arguments: what `--dry-run` shows and the runner runs. With
 * services: stop them, see the maintenance page, back up, update, start them, check their health.
 */
export function planSteps({ layout, target, remote, integration, squashStage, backup = true, services }: PlanInput): UpdateStep[] {
  const steps: UpdateStep[] = [];
  if (services && services.stop.length > 0) steps.push(commandsStep('services-stop', 1, 'stop the services', services.stop));
  if (services?.maintenance) steps.push({ id: 'maintenance', stage: 1, title: probeTitle(services.maintenance), probe: services.maintenance });
  if (backup) steps.push({ id: 'backup', stage: 1, title: 'backup' });
  let stage = 1;
  if (squashStage) {
    steps.push(...stageSteps(layout, stage, squashGitStep(layout.root, target, remote, integration), true));
    stage += 1;
  }
  steps.push(...stageSteps(layout, stage, gitStep(layout.root, target, remote, integration), false));
  const manage = (...args: string[]): PlannedCommand => ({ file: layout.python, args: [layout.managePy, ...args], cwd: layout.root });
  steps.push(
    { id: 'collectstatic', stage, title: 'manage.py collectstatic -l', command: manage('collectstatic', '-l', '--noinput') },
    { id: 'check', stage, title: 'manage.py check', command: manage('check') },
  );
  if (services && services.start.length > 0) {
    steps.push(commandsStep('services-start', stage, 'start the services', services.start));
    for (const probe of services.health) steps.push({ id: HEALTH_IDS[probe.kind], stage, title: probeTitle(probe), probe });
  }
  return steps;
}

/** What a step runs, as an admin would type it (probes and the backup described). */
export function stepLines(step: UpdateStep): string[] {
  if (step.command) return [step.command, ...(step.more ?? [])].map(commandLine);
  const probe = step.probe;
  if (probe?.kind === 'celery') return [`${probe.argv.join(' ')}  (in ${probe.cwd})`];
  if (probe) {
    const where = `${probe.web.connect.tls ? 'https' : 'http'}://${probe.web.connect.host}:${probe.web.connect.port}, Host: ${probe.web.host}`;
    return [`GET ${probe.kind === 'websocket' ? `${probe.web.websocketPath ?? 'channels/updates/'} with Upgrade: websocket` : new URL(probe.web.url).pathname} from ${where}`];
  }
  return ['pg_dump of the database, verified, with a manifest'];
}

/** A command as an admin would type it (for the plan and the log). */
export function commandLine(command: PlannedCommand): string {
  return [command.file, ...command.args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
