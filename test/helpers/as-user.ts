import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { binPath, privateHome, runCli, type CliOptions } from './cli.js';

/**
 * The users a feature that works for anyone is tested as: root (what the suite runs as here) and an ordinary
 * user, through `runuser -u nobody`, as the README promises. Without root, only the user running the tests.
 */
export const isRoot = process.getuid?.() === 0;
export const TEST_USERS: readonly string[] = isRoot ? ['root', 'nobody'] : [os.userInfo().username];

/** A private home (XDG folders, .pgpass) that `user` owns. */
export async function homeFor(user: string): Promise<{ home: string; env: Record<string, string> }> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), `catmaid-tui-${user}-`));
  await fs.chmod(home, 0o700);
  if (isRoot && user !== 'root') {
    const { stdout } = await execa('id', ['-u', user]);
    const uid = Number(stdout);
    await fs.chown(home, uid, uid);
  }
  return { home, env: { ...privateHome(home), HOME: home, PGPASSFILE: path.join(home, '.pgpass') } };
}

/**
 * Let `user` read a sandbox instance made by root: its settings.py is root's and 0640 (it holds the password), so
 * it is handed to the user's group. The sandbox is a throwaway copy.
 */
export async function shareInstance(root: string, user: string): Promise<void> {
  if (!isRoot || user === 'root') return;
  const { stdout } = await execa('id', ['-g', user]);
  await fs.chown(path.join(root, 'django', 'projects', 'mysite', 'settings.py'), 0, Number(stdout));
}

/** The built CLI as `user` (root or the test's own user: as it is; others: runuser). */
export function runCliAs(user: string, args: string[], options: CliOptions = {}) {
  if (!isRoot || user === 'root') return runCli(args, options);
  return execa('runuser', ['-u', user, '--', process.execPath, binPath, ...args], {
    reject: false,
    stdin: 'ignore',
    timeout: options.timeout ?? 120_000,
    env: { NO_COLOR: '1', ...options.env },
  });
}
