import { InvalidArgumentError, type Command } from 'commander';
import type { GitVersion } from '../tasks/backup/backup.js';
import { discoverInstance, type InstanceInfo, type LocatedInstance } from '../tasks/instance/index.js';
import { backupDirFor } from '../tasks/backup/backup-dir.js';
import { instanceOf } from './context.js';

/** commander parser for --jobs, --keep: a whole number of at least 1, else bad usage (exit 2). */
export const count = (flag: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} needs a whole number ≥ 1`);
  return n;
};

/** What the backup commands work on: the instance, its settings and version, and its backup folder. */
export interface Target {
  located: LocatedInstance;
  info: InstanceInfo;
  git: GitVersion;
  backupDir: string;
}

/** The backup folder: --out, else the instance's configured backupDir, else the XDG default. */
export async function target(command: Command, out?: string): Promise<Target> {
  const located = await instanceOf(command);
  const info = await discoverInstance(located, { database: false, processes: false });
  const git = 'error' in info.git ? { commit: null, shortCommit: null, describe: null } : info.git;
  const backupDir = await backupDirFor(located.root, out);
  return { located, info, git: { commit: git.commit, shortCommit: git.shortCommit, describe: git.describe }, backupDir };
}
