import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { CliError, EXIT } from '../tasks/errors.js';

/** The OS user that owns and runs a sandbox's cluster: postgres refuses to run as root. */
export interface ClusterOwner {
  name: string;
  uid: number;
  gid: number;
  groups: number[];
  /** True when we are root and must switch to `name` with runuser. */
  switchUser: boolean;
}

export const isRoot = (): boolean => process.getuid?.() === 0;

export async function clusterOwner(): Promise<ClusterOwner> {
  if (!isRoot()) {
    const me = os.userInfo();
    return { name: me.username, uid: me.uid, gid: me.gid, groups: process.getgroups?.() ?? [me.gid], switchUser: false };
  }
  const ids = await execa('id', ['postgres'], { reject: false });
  if (ids.exitCode !== 0) {
    throw new CliError('there is no postgres user to run the sandbox cluster as', EXIT.failed, 'apt-get install postgresql');
  }
  const num = (key: string): number => Number(new RegExp(`${key}=(\\d+)`).exec(ids.stdout)?.[1] ?? NaN);
  const groups = [...(ids.stdout.split('groups=')[1] ?? '').matchAll(/(\d+)\(/g)].map((m) => Number(m[1]));
  return { name: 'postgres', uid: num('uid'), gid: num('gid'), groups, switchUser: true };
}

/** `[file, args]` that run a program as the cluster owner (runuser when we are root). */
export function asOwner(owner: ClusterOwner, file: string, args: string[]): [string, string[]] {
  return owner.switchUser ? ['runuser', ['-u', owner.name, '--', file, ...args]] : [file, args];
}

/** Run a program as the cluster owner, from `/` (our cwd may be a folder the owner cannot enter). */
export function runAsOwner(owner: ClusterOwner, file: string, args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const [cmd, argv] = asOwner(owner, file, args);
  return execa(cmd, argv, { cwd: '/', reject: false, input: options.input, env: options.env, stripFinalNewline: true });
}

/** Make `dir` (already created by us) belong to the cluster owner. */
export async function giveToOwner(owner: ClusterOwner, dir: string, mode = 0o700): Promise<void> {
  await fs.promises.mkdir(dir, { recursive: true });
  if (owner.switchUser) await fs.promises.chown(dir, owner.uid, owner.gid);
  await fs.promises.chmod(dir, mode);
}

function traversable(owner: ClusterOwner, stat: fs.Stats): boolean {
  if (stat.uid === owner.uid) return (stat.mode & 0o100) !== 0;
  if (owner.groups.includes(stat.gid) || stat.gid === owner.gid) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}

/**
 * As root the cluster runs as postgres, which must be able to walk down to DIR. Names the first folder on the
 * way that it cannot enter (e.g. /root, which is 0700) instead of letting initdb fail obscurely later.
 */
export function assertReachable(owner: ClusterOwner, dir: string): void {
  if (!owner.switchUser) return;
  const parts = path.resolve(dir).split(path.sep).filter(Boolean);
  let current: string = path.sep;
  for (const part of ['', ...parts]) {
    current = part ? path.join(current, part) : current;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(current);
    } catch {
      return; // from here on we create the folders ourselves, traversable by all
    }
    if (!traversable(owner, stat)) {
      throw new CliError(
        `the ${owner.name} user cannot reach ${dir}: ${current} is not traversable (mode ${(stat.mode & 0o777).toString(8)})`,
        EXIT.usage,
        `choose a folder outside ${current} (e.g. /var/lib/catmaid-tui/sandbox) or chmod o+x ${current}`,
      );
    }
  }
}
