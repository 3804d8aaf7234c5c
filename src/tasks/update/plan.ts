import path from 'node:path';
import { compareReleases, parseReleaseTag } from '../release-tag.js';
import type { InstanceLayout } from '../instance/types.js';
import type { UpdateTarget } from './git-target.js';

/** The release every older instance must pass through (its migrations were squashed after it). */
export const SQUASH_RELEASE = '2015.12.21';

export type StepId = 'git' | 'pip' | 'migrate-plan' | 'migrate' | 'fake-initial' | 'collectstatic' | 'check';

export interface PlannedCommand {
  file: string;
  args: string[];
  cwd: string;
}

export interface UpdateStep {
  id: StepId;
  /** 1, or 1 and 2 when the update passes through 2015.12.21 first. */
  stage: number;
  title: string;
  command: PlannedCommand;
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
}

/** Every command of the update, in order, with its arguments: what `--dry-run` shows and the runner runs. */
export function planSteps({ layout, target, remote, integration, squashStage }: PlanInput): UpdateStep[] {
  const steps: UpdateStep[] = [];
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
  return steps;
}

/** A command as an admin would type it (for the plan and the log). */
export function commandLine(command: PlannedCommand): string {
  return [command.file, ...command.args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
