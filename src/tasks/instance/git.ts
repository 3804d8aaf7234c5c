import { execa } from 'execa';
import { DESCRIBE_RELEASE, sortedReleases } from '../release-tag.js';
import type { GitState } from './types.js';

/**
 * git in the instance root. `safe.directory` lets root read a checkout owned by the CATMAID user (git otherwise
 * refuses with "dubious ownership").
 */
export function git(root: string, args: string[], options: { reject?: boolean } = {}) {
  return execa('git', ['-c', `safe.directory=${root}`, '-C', root, ...args], {
    reject: options.reject ?? true,
    stripFinalNewline: true,
    env: { LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' },
  });
}

export async function readGitState(root: string): Promise<GitState> {
  const [branch, head, describe, merged, status] = await Promise.all([
    git(root, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { reject: false }),
    git(root, ['rev-parse', 'HEAD']),
    git(root, [...DESCRIBE_RELEASE, '--always'], { reject: false }),
    git(root, ['tag', '--merged', 'HEAD'], { reject: false }),
    git(root, ['status', '--porcelain'], { reject: false }),
  ]);
  const commit = head.stdout.trim();
  const releases = sortedReleases(merged.exitCode === 0 ? merged.stdout.split('\n') : []);
  const changes = status.exitCode === 0 ? status.stdout.split('\n').filter((l) => l.trim() !== '') : [];
  return {
    branch: branch.exitCode === 0 ? branch.stdout.trim() : null,
    commit,
    shortCommit: commit.slice(0, 7),
    describe: describe.exitCode === 0 ? describe.stdout.trim() : null,
    latestRelease: releases.at(-1)?.tag ?? null,
    dirty: changes.length > 0,
    changes,
  };
}
