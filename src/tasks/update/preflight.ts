import { UsageError } from '../errors.js';
import type { GitState, InstanceInfo } from '../instance/types.js';
import { commitCounts, fetchRemote, fileAt, releaseAt, resolveTarget, tagsBetween, targetChoices, type TargetChoice, type UpdateTarget } from './git-target.js';
import { needsSquashStage, planSteps, SQUASH_RELEASE, type Integration, type UpdateStep } from './plan.js';
import { unfinishedUpdate, type UnfinishedUpdate } from './journal.js';
import { pipRefusal } from './python-env.js';
import { releasesToRead, type ReleaseToRead } from './release-notes.js';
import { checkRequirements, type RequirementCheck } from './requirements/check.js';
import { restartImpactCheck } from './services/impact.js';
import { servicesChecks } from './services/services-checks.js';
import { servicesPlan, webEntryOfUrl } from './services/services-plan.js';
import { readServiceSetup, type ServiceSetup } from './services/setup.js';
import { findWebEntry, type WebEntry } from './services/web.js';
import { readHostFacts } from './requirements/facts.js';
import { djangoSpec, releaseRequirements, REQUIREMENT_NAMES, type RequirementName } from './requirements/parse.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'info';

export interface PreflightCheck {
  id: 'unfinished' | 'server' | 'services' | 'restart-impact' | 'web' | 'git-clean' | 'local-commits' | 'fetch' | 'notes' | 'two-stage' | 'backup' | 'python' | 'requirement';
  /** For `requirement` checks: the name `--ignore-requirement` takes. */
  requirement?: RequirementName;
  /** PostGIS: the databases whose extension is behind the library (the wizard offers to update them). */
  postgisBehind?: string[];
  status: CheckStatus;
  title: string;
  detail?: string[];
  /** The flag that overrides a failed check, if any. */
  override?: string;
}

export interface UpdateOptions {
  to?: string;
  remote: string;
  allowRunning?: boolean;
  /** How to join local commits with the target branch (CATMAID's administration manual advises rebase). */
  integration?: 'rebase' | 'merge';
  skipBackup?: boolean;
  /** Where the pre-update backup goes (shown in the plan). */
  backupDir: string;
  /** A `git fetch` already under way (started while the instance was read, to save its time). */
  fetched?: Promise<void>;
  /** pip may install into the system's Python (no django/env). */
  systemPython?: boolean;
  /** Failed requirement checks that do not refuse the update (`--ignore-requirement NAME`). */
  ignoreRequirements?: string[];
  /** Where the health check asks (`--url`); else found in nginx's configuration. */
  url?: string;
  healthTimeoutSeconds?: number;
}

export interface UpdatePreview {
  checks: PreflightCheck[];
  current: { commit: string; shortCommit: string; branch: string | null; describe: string | null; release: string | null };
  target: UpdateTarget & { release: string | null };
  incoming: number;
  local: string[];
  releases: ReleaseToRead[];
  squashStage: boolean;
  integration: Integration;
  steps: UpdateStep[];
  upToDate: boolean;
  /** Failed checks: the update is refused (exit 3) while there are any. */
  refusals: PreflightCheck[];
  /** How the instance runs and where it answers; what the update stops, starts and probes. */
  services: { setup: ServiceSetup; web: WebEntry | null };
  /** What else the update could go to (the wizard's target list). */
  choices: TargetChoice[];
  /** An update that began and did not end: it must be resumed or rolled back first. */
  unfinished: UnfinishedUpdate | null;
}

/**
 * Everything the update checks before it changes anything, and the plan it would run. Changes nothing but the
 * remote-tracking refs (`git fetch`).
 */
function unfinishedCheck(root: string, open: UnfinishedUpdate | null): PreflightCheck[] {
  if (!open) return [];
  return [{
    id: 'unfinished',
    status: 'fail',
    title: open.text,
    detail: open.inProgress ? undefined : [`resume it: catmaid-tui -C ${root} update --resume`, `or roll it back: catmaid-tui -C ${root} update --rollback`],
  }];
}

function checkoutChecks(info: InstanceInfo & { git: GitState }, systemPython: boolean): PreflightCheck[] {
  const pip = pipRefusal(info.layout, systemPython);
  return [
    info.git.dirty
      ? { id: 'git-clean', status: 'fail', title: `working tree has ${info.git.changes.length} uncommitted change(s)`, detail: info.git.changes }
      : { id: 'git-clean', status: 'ok', title: 'working tree clean' },
    pip
      ? { id: 'python', status: 'fail', title: pip.title, detail: [pip.hint], override: '--system-python' }
      : { id: 'python', status: info.layout.virtualenv ? 'ok' : 'warn', title: info.layout.virtualenv ? `pip installs into ${info.layout.python}` : `no virtualenv: pip installs into the system's Python (--system-python)` },
  ];
}

function localCommitChecks(local: string[], target: UpdateTarget, chosen: UpdateOptions['integration']): { checks: PreflightCheck[]; integration: Integration } {
  if (local.length === 0) return { checks: [], integration: 'ff-only' };
  if (target.kind !== 'branch') {
    return { checks: [{ id: 'local-commits', status: 'warn', title: `${local.length} local commit(s) are left behind by checking out ${target.ref}`, detail: local }], integration: 'ff-only' };
  }
  return {
    integration: chosen ?? 'ff-only',
    checks: [{
      id: 'local-commits',
      status: chosen ? 'warn' : 'fail',
      title: `${local.length} local commit(s) not on ${target.remoteRef}${chosen ? `: will ${chosen}` : ''}`,
      detail: local,
      override: '--rebase or --merge',
    }],
  };
}

const requirementCheck = (check: RequirementCheck): PreflightCheck => ({
  id: 'requirement',
  requirement: check.name,
  status: check.status,
  title: check.title,
  detail: check.detail,
  override: `--ignore-requirement ${check.name}`,
  postgisBehind: check.postgisBehind,
});

/**
 * Everything the update checks before it changes anything, and the plan it would run. Changes nothing but the
 * remote-tracking refs (`git fetch`). What it reads — versions of the host, the services, git — is read at once.
 */
export async function preflightUpdate(info: InstanceInfo, options: UpdateOptions): Promise<UpdatePreview> {
  if ('error' in info.git) throw new UsageError(`${info.layout.root}: git cannot read the checkout: ${info.git.error}`);
  const checkout = info as InstanceInfo & { git: GitState };
  const root = info.layout.root;
  for (const name of options.ignoreRequirements ?? []) {
    if (!(REQUIREMENT_NAMES as readonly string[]).includes(name)) throw new UsageError(`--ignore-requirement ${name}: no such requirement`, `names: ${REQUIREMENT_NAMES.join(', ')}`);
  }
  const facts = readHostFacts(info);
  const running = Promise.all([readServiceSetup(root), options.url ? webEntryOfUrl(options.url) : findWebEntry(root)]);
  const impact = running.then(([setup]) => restartImpactCheck(info.settings.settings.database, root, setup));
  for (const pending of [facts, running, impact]) pending.catch(() => undefined);

  const open = unfinishedUpdate(root);
  await (options.fetched ?? fetchRemote(root, options.remote));
  const target = await resolveTarget(root, options.remote, options.to);
  const currentRelease = checkout.git.latestRelease;
  const [{ incoming, local }, targetRelease, tags, changelog, updateNotes, requirementsTxt, choices] = await Promise.all([
    commitCounts(root, target.commit),
    releaseAt(root, target.commit),
    tagsBetween(root, target.commit),
    fileAt(root, target.commit, 'CHANGELOG.md'),
    fileAt(root, target.commit, 'UPDATE.md'),
    fileAt(root, target.commit, 'django/requirements.txt'),
    targetChoices(root, options.remote, currentRelease),
  ]);
  const releases = releasesToRead({
    tags,
    current: currentRelease,
    target: targetRelease,
    targetIsRelease: targetRelease !== null && target.describe === targetRelease,
    changelog,
    updateNotes,
  });
  const withNotes = releases.filter((r) => r.notes.length > 0).length;
  const commits = localCommitChecks(local, target, options.integration);
  const requirements = checkRequirements({
    requirements: releaseRequirements(releases),
    djangoSpec: djangoSpec(requirementsTxt),
    facts: await facts,
    ignore: options.ignoreRequirements ?? [],
    systemPython: options.systemPython ?? false,
  });
  const squashStage = needsSquashStage(currentRelease, targetRelease, [...tags, ...(targetRelease ? [targetRelease] : [])]);
  const [setup, web] = await running;
  const cut = await impact;

  const checks: PreflightCheck[] = [
    ...unfinishedCheck(root, open),
    ...servicesChecks(setup, web, options.allowRunning ?? false),
    ...(cut ? [cut] : []),
    ...checkoutChecks(checkout, options.systemPython ?? false),
    { id: 'fetch', status: 'ok', title: `fetched ${options.remote} (${target.kind} ${target.ref})` },
    ...commits.checks,
    {
      id: 'notes',
      status: withNotes > 0 ? 'warn' : 'info',
      title: releases.length === 0 ? 'no release between current and target' : `notes: ${releases.length} release(s), ${withNotes} with admin actions — read them all`,
    },
    ...requirements.map(requirementCheck),
    ...(squashStage ? [{ id: 'two-stage' as const, status: 'warn' as const, title: `two stages: first ${SQUASH_RELEASE} (migrate, then migrate --fake catmaid 0001_initial), then ${target.ref}` }] : []),
    options.skipBackup
      ? { id: 'backup', status: 'warn', title: 'NO BACKUP (--skip-backup): a failed migration cannot be rolled back' }
      : { id: 'backup', status: 'info', title: `backup before the first step, into ${options.backupDir}` },
  ];
  const services = servicesPlan(root, setup, web, options.healthTimeoutSeconds);
  const steps = planSteps({ layout: info.layout, target, remote: options.remote, integration: commits.integration, squashStage, backup: !options.skipBackup, services });
  return {
    checks,
    current: { commit: checkout.git.commit, shortCommit: checkout.git.shortCommit, branch: checkout.git.branch, describe: checkout.git.describe, release: currentRelease },
    target: { ...target, release: targetRelease },
    incoming,
    local,
    releases,
    squashStage,
    integration: commits.integration,
    steps,
    // An unfinished update is not "up to date" even when HEAD is already at the target: its steps are not done.
    upToDate: !open && incoming === 0 && target.commit === checkout.git.commit,
    refusals: checks.filter((c) => c.status === 'fail'),
    services: { setup, web },
    choices,
    unfinished: open,
  };
}
