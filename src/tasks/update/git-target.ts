import { CliError, EXIT, UsageError, oneLine } from '../errors.js';
import { checkedRef, describeRevision, git } from '../instance/git.js';
import { compareReleases, parseReleaseTag, sortedReleases } from '../release-tag.js';

/** Where an update goes: a release tag, a branch of the remote, or a commit. */
export interface UpdateTarget {
  ref: string;
  kind: 'tag' | 'branch' | 'commit';
  commit: string;
  describe: string | null;
  /** For a branch: the remote-tracking ref it comes from, e.g. `origin/master`. */
  remoteRef?: string;
}

async function out(root: string, args: string[]): Promise<string | null> {
  const result = await git(root, args, { reject: false });
  return result.exitCode === 0 ? `${result.stdout}`.trim() : null;
}

/**
 * A remote the checkout has configured (`git remote`): never a URL or an option, so `--remote` cannot make
 * `git fetch` run a command (`--upload-pack=…`) or fetch from somewhere the admin did not set up.
 */
export async function checkedRemote(root: string, remote: string): Promise<string> {
  checkedRef(remote, '--remote');
  const remotes = ((await out(root, ['remote'])) ?? '').split('\n').filter(Boolean);
  if (!remotes.includes(remote)) {
    throw new UsageError(`--remote ${remote}: no such remote in ${root}`, remotes.length > 0 ? `remotes: ${remotes.join(', ')}` : 'git remote add origin <url>');
  }
  return remote;
}

/** `git fetch --tags <remote>`: what the update can go to. */
export async function fetchRemote(root: string, remote: string): Promise<void> {
  await checkedRemote(root, remote);
  const result = await git(root, ['fetch', '--tags', '--force', '--', remote], { reject: false });
  if (result.exitCode !== 0) {
    throw new CliError(`git fetch ${remote} failed: ${oneLine(`${result.stderr}`.trim() || result.shortMessage)}`, EXIT.failed);
  }
}

/** The branch the checkout tracks (`master` for CATMAID), or master when detached or untracked. */
export async function defaultBranch(root: string): Promise<string> {
  const upstream = await out(root, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']);
  if (upstream) return upstream.split('/').slice(1).join('/');
  return 'master';
}

export async function resolveTarget(root: string, remote: string, to?: string): Promise<UpdateTarget> {
  const ref = checkedRef(to ?? (await defaultBranch(root)), '--to');
  const describe = (commit: string) => describeRevision(root, commit);
  const tag = await out(root, ['rev-parse', '--verify', '--quiet', `refs/tags/${ref}^{commit}`]);
  if (tag) return { ref, kind: 'tag', commit: tag, describe: await describe(tag) };
  const branch = await out(root, ['rev-parse', '--verify', '--quiet', `refs/remotes/${remote}/${ref}^{commit}`]);
  if (branch) return { ref, kind: 'branch', commit: branch, describe: await describe(branch), remoteRef: `${remote}/${ref}` };
  const commit = /^[0-9a-f]{4,40}$/i.test(ref) ? await out(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]) : null;
  if (commit) return { ref, kind: 'commit', commit, describe: await describe(commit) };
  throw new UsageError(`--to ${ref}: no such release tag, branch of ${remote}, or commit`, 'see: catmaid-tui releases');
}

/** Commits the update brings (HEAD..target) and local commits the target lacks (target..HEAD). */
export async function commitCounts(root: string, target: string): Promise<{ incoming: number; local: string[] }> {
  const incoming = Number((await out(root, ['rev-list', '--count', `HEAD..${target}`])) ?? 0);
  const local = ((await out(root, ['rev-list', '--oneline', `${target}..HEAD`])) ?? '').split('\n').filter(Boolean);
  return { incoming, local };
}

/** Release tags the target has and HEAD does not (every release the update jumps over). */
export async function tagsBetween(root: string, target: string): Promise<string[]> {
  const tags = (await out(root, ['tag', '--merged', target, '--no-merged', 'HEAD'])) ?? '';
  return tags.split('\n').filter((t) => parseReleaseTag(t) !== null);
}

/** All release tags in the checkout, oldest first. */
export async function allReleaseTags(root: string): Promise<string[]> {
  return sortedReleases(((await out(root, ['tag', '--list'])) ?? '').split('\n')).map((r) => r.tag);
}

/** Release tags newer than `current` (all of them without one), oldest first. */
export async function newerReleases(root: string, current: string | null): Promise<string[]> {
  const from = current ? parseReleaseTag(current) : null;
  return (await allReleaseTags(root)).filter((tag) => !from || compareReleases(parseReleaseTag(tag)!, from) > 0);
}

/** What an update can go to: the tracked branch's head, or any newer release. */
export interface TargetChoice {
  ref: string;
  kind: 'branch' | 'tag';
  /** `master: 2021.12.21-2-g6c0ce32 (tracked branch)`, `2021.12.21`. */
  label: string;
}

export async function targetChoices(root: string, remote: string, current: string | null): Promise<TargetChoice[]> {
  const branch = await defaultBranch(root);
  const head = await out(root, ['rev-parse', '--verify', '--quiet', `refs/remotes/${remote}/${branch}^{commit}`]);
  const choices: TargetChoice[] = [];
  if (head) choices.push({ ref: branch, kind: 'branch', label: `${branch}: ${(await describeRevision(root, head)) ?? head.slice(0, 7)} (tracked branch)` });
  for (const tag of await newerReleases(root, current)) choices.push({ ref: tag, kind: 'tag', label: tag });
  return choices;
}

/** A file as it is at a revision ('' when the revision has none). */
export async function fileAt(root: string, commit: string, file: string): Promise<string> {
  return (await out(root, ['show', `${commit}:${file}`])) ?? '';
}

/** Newest release tag reachable from a revision. */
export async function releaseAt(root: string, commit: string): Promise<string | null> {
  const tags = ((await out(root, ['tag', '--merged', commit])) ?? '').split('\n');
  const releases = tags.map(parseReleaseTag).filter((t): t is NonNullable<typeof t> => t !== null);
  releases.sort((a, b) => a.year - b.year || a.month - b.month || a.day - b.day);
  return releases.at(-1)?.tag ?? null;
}
