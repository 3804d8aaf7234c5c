import crypto from 'node:crypto';
import { chmodSync, constants as fsConstants, copyFileSync, existsSync, mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { binPath, executablePath, privateHome, runCli, type CliOptions } from './cli.js';

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

/** Whether a user who is neither owner nor group ("others") can read `file`: every folder above it searchable. */
export function othersCanRead(file: string): boolean {
  const real = realpathSync(file);
  if ((statSync(real).mode & 0o004) === 0) return false;
  for (let dir = path.dirname(real); ; dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === path.dirname(dir)) return true;
  }
}

/**
 * How another user runs the built CLI: node and bin/catmaid-tui of this checkout when others can reach them, else
 * (a checkout in root's own 0700 home, as on a fresh server) the single executable, copied once into a folder of
 * its own that anyone can enter.
 */
export function commandForOthers(): string[] {
  if (othersCanRead(process.execPath) && othersCanRead(binPath)) return [process.execPath, binPath];
  if (!existsSync(executablePath)) throw new Error(`${executablePath} is missing: npm test makes it (npm run package -- --host)`);
  const stat = statSync(executablePath);
  const key = crypto.createHash('sha256').update(`${executablePath} ${stat.size} ${stat.mtimeMs}`).digest('hex').slice(0, 12);
  const shared = path.join(os.tmpdir(), `catmaid-tui-test-shared-${key}`);
  const file = path.join(shared, 'catmaid-tui');
  if (!existsSync(file)) {
    const work = mkdtempSync(`${shared}.partial-`);
    copyFileSync(executablePath, path.join(work, 'catmaid-tui'), fsConstants.COPYFILE_FICLONE);
    chmodSync(path.join(work, 'catmaid-tui'), 0o755);
    chmodSync(work, 0o755);
    try {
      renameSync(work, shared);
    } catch {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return [file];
}

let locked: string | undefined;
/**
 * A folder other users cannot reach: where an admin often is when running something as another user — a clone in
 * root's 0700 home. The folder itself is open (0755), the one above it root's only, as on a fresh server: `.` is
 * searchable from inside, its full path (which spawn enters) is not.
 */
function rootOnlyFolder(): string {
  if (!locked) {
    const home = mkdtempSync(path.join(os.tmpdir(), 'catmaid-tui-root-only-'));
    chmodSync(home, 0o700);
    locked = path.join(home, 'clone');
    mkdirSync(locked);
    chmodSync(locked, 0o755);
  }
  return locked;
}

/** The built CLI as `user` (root or the test's own user: as it is; others: runuser, from a folder they may not enter). */
export function runCliAs(user: string, args: string[], options: CliOptions = {}) {
  if (!isRoot || user === 'root') return runCli(args, options);
  return execa('runuser', ['-u', user, '--', ...commandForOthers(), ...args], {
    cwd: options.cwd ?? rootOnlyFolder(),
    reject: false,
    stdin: 'ignore',
    timeout: options.timeout ?? 120_000,
    env: { NO_COLOR: '1', ...options.env },
  });
}
