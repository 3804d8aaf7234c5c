import { execa } from 'execa';
import { UsageError } from '../errors.js';
import { DESCRIBE_RELEASE, sortedReleases } from '../release-tag.js';
import { hasNoControlCharacters } from '../safe-name.js';
import type { GitState } from './types.js';

/**
 * git in the instance root. `safe.directory` lets root read a checkout owned by the CATMAID user (git otherwise
 * refuses with "dubious ownership"). Values that come from a user (a remote, a ref) go through checkedRef first:
 * git reads an argument starting with `-` as an option (`--upload-pack=…` runs a command), and not every git
 * command takes `--` before a revision.
 */
export function git(root: string, args: string[], options: { reject?: boolean } = {}) {
  return execa('git', ['-c', `safe.directory=${root}`, '-C', root, ...args], {
    reject: options.reject ?? true,
    stripFinalNewline: true,
    env: { LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' },
  });
}

/** A remote name, branch, tag or commit given by the user: refused (exit 2) if git could read it as an option. */
export function checkedRef(value: string, what: string): string {
  if (value === '' || value.startsWith('-') || !hasNoControlCharacters(value) || /\s/.test(value)) {
    throw new UsageError(`${what} ${JSON.stringify(value)}: not a git name (it must not be empty, start with "-" or hold spaces)`);
  }
  return value;
}

/** `2021.12.21`, `2021.12.21-4-g3f2a9c1`, or the short commit when no release tag is reachable. */
export async function describeRevision(root: string, revision = 'HEAD'): Promise<string | null> {
  const result = await git(root, [...DESCRIBE_RELEASE, '--always', '--end-of-options', revision], { reject: false });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/**
 * Files catmaid-tui itself put in the checkout, which are not the admin's local changes: the extension files it
 * copied (listed in STATIC_EXTENSION_FILES, under STATIC_EXTENSION_ROOT) and `settings.py.bak-<time>` copies
 * older versions left next to settings.py. Paths relative to the root, as `git status` prints them.
 */
export interface OwnFiles {
  /** STATIC_EXTENSION_ROOT relative to the root ('' when it lies outside). */
  extensionDir: string | null;
  extensionFiles: string[];
  /** settings.py's folder relative to the root. */
  settingsDir: string;
}

const quoted = (file: string): string => (file.startsWith('"') ? (JSON.parse(file) as string) : file);

export function isOwnFile(file: string, own: OwnFiles): boolean {
  const slash = file.lastIndexOf('/');
  const dir = slash < 0 ? '' : file.slice(0, slash);
  const name = file.slice(slash + 1);
  if (dir === own.settingsDir && /^settings\.py\.bak-[\w.-]+$/.test(name)) return true;
  return own.extensionDir !== null && dir === own.extensionDir && own.extensionFiles.includes(name);
}

/** `git status --porcelain` lines without catmaid-tui's own untracked files (which are listed apart). */
export function splitOwnChanges(lines: string[], own: OwnFiles | null): { changes: string[]; ownFiles: string[] } {
  const changes: string[] = [];
  const ownFiles: string[] = [];
  for (const line of lines) {
    const file = quoted(line.slice(3));
    if (own && line.startsWith('?? ') && isOwnFile(file, own)) ownFiles.push(file);
    else changes.push(line);
  }
  return { changes, ownFiles };
}

/** The state with catmaid-tui's own files taken out of `changes` (they go to `ownFiles`). */
export function withoutOwnFiles(state: GitState, own: OwnFiles): GitState {
  const { changes, ownFiles } = splitOwnChanges(state.changes, own);
  return { ...state, changes, ownFiles: [...state.ownFiles, ...ownFiles], dirty: changes.length > 0 };
}

/** HEAD, branch, version and `git status` of the checkout (every change; see withoutOwnFiles). */
export async function readGitState(root: string): Promise<GitState> {
  const [branch, head, describe, merged, status] = await Promise.all([
    git(root, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { reject: false }),
    git(root, ['rev-parse', 'HEAD']),
    describeRevision(root),
    git(root, ['tag', '--merged', 'HEAD'], { reject: false }),
    // Every untracked file, not its folder: catmaid-tui's own extension files are told apart one by one.
    git(root, ['status', '--porcelain', '--untracked-files=all'], { reject: false }),
  ]);
  const commit = head.stdout.trim();
  const releases = sortedReleases(merged.exitCode === 0 ? merged.stdout.split('\n') : []);
  const lines = status.exitCode === 0 ? status.stdout.split('\n').filter((l) => l.trim() !== '') : [];
  return {
    branch: branch.exitCode === 0 ? branch.stdout.trim() : null,
    commit,
    shortCommit: commit.slice(0, 7),
    describe,
    latestRelease: releases.at(-1)?.tag ?? null,
    dirty: lines.length > 0,
    changes: lines,
    ownFiles: [],
  };
}
