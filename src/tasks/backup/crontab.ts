import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { CliError } from '../errors.js';
import { keepCopyOf } from '../file-copies.js';
import { logDir } from '../paths.js';
import { safeFileComponent } from '../safe-name.js';
import { readManagedBlock, withManagedBlock } from '../settings-block.js';
import { scheduleBlockId, scheduleValue } from './cron-line.js';

/** `-u user` for root working on someone else's crontab; nothing for one's own. */
const userArgs = (user?: string): string[] => (user ? ['-u', user] : []);

/** The user's crontab exactly as stored, or null when the user has none. */
export async function readCrontab(user?: string): Promise<string | null> {
  const run = await execa('crontab', [...userArgs(user), '-l'], { reject: false, stripFinalNewline: false });
  if (run.exitCode === 0) return run.stdout;
  if (/no crontab for/i.test(run.stderr)) return null;
  throw new CliError(`crontab -l failed: ${run.stderr.trim() || `exit ${run.exitCode}`}`, 1, 'is cron installed?');
}

/** Replace the crontab; null removes it, so a user who had none before ends with none again. */
export async function writeCrontab(content: string | null, user?: string): Promise<void> {
  const run =
    content === null
      ? await execa('crontab', [...userArgs(user), '-r'], { reject: false })
      : await execa('crontab', [...userArgs(user), '-'], { input: content, reject: false });
  if (content === null && /no crontab for/i.test(run.stderr)) return;
  if (run.exitCode !== 0) throw new CliError(`crontab failed: ${run.stderr.trim() || `exit ${run.exitCode}`}`, 1);
}

export interface CrontabChange {
  changed: boolean;
  before: string | null;
  after: string | null;
  /** Where the crontab as it was before is kept (catmaid-tui's state folder), when it changed. */
  copy?: string;
}

/** Write the crontab, first keeping a copy of the one it replaces. */
async function replaceCrontab(before: string | null, after: string | null, user: string | undefined, root: string | undefined): Promise<string | undefined> {
  const copy = before === null ? undefined : await keepCopyOf(`crontab-${user ?? os.userInfo().username}`, before, root);
  await writeCrontab(after, user);
  return copy;
}

/** The crontab with this instance's scheduled-backup block set to `line`, or taken out (null). Pure. */
export function mergeCrontab(before: string | null, instanceName: string, line: string | null): string | null {
  scheduleValue('instance name', instanceName);
  if (line !== null) scheduleValue('crontab line', line);
  const after = withManagedBlock(before ?? '', scheduleBlockId(instanceName), line ? [line] : null);
  return after === '' && line === null ? null : after;
}

/** Add or replace the block: installing twice leaves one line. `root`: whose state folder keeps the copy. */
export async function installCronLine(instanceName: string, line: string, user?: string, root?: string): Promise<CrontabChange> {
  const before = await readCrontab(user);
  const after = mergeCrontab(before, instanceName, line);
  if (after === before) return { changed: false, before, after };
  return { changed: true, before, after, copy: await replaceCrontab(before, after, user, root) };
}

/** Take the block out, giving back the crontab as it was before the install (none at all if there was none). */
export async function removeCronLine(instanceName: string, user?: string, root?: string): Promise<CrontabChange> {
  const before = await readCrontab(user);
  if (before === null) return { changed: false, before, after: null };
  const after = mergeCrontab(before, instanceName, null);
  if (after === before) return { changed: false, before, after };
  return { changed: true, before, after, copy: await replaceCrontab(before, after, user, root) };
}

/** This instance's scheduled line in a crontab, if installed. */
export function installedCronLine(crontab: string | null, instanceName: string): string | null {
  return readManagedBlock(crontab ?? '', scheduleBlockId(instanceName))?.find((l) => l.trim() !== '') ?? null;
}

/** Where a scheduled backup's output goes: the instance's name reduced to a safe file name. */
export function scheduledBackupLog(instanceName: string): string {
  return path.join(logDir(), `scheduled-backup-${safeFileComponent(instanceName)}.log`);
}
