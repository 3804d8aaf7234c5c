import { execa } from 'execa';
import { CliError } from '../errors.js';
import { readManagedBlock, withManagedBlock } from '../settings-block.js';
import { scheduleBlockId } from './cron-line.js';

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
}

/** The crontab with this instance's scheduled-backup block set to `line`, or taken out (null). Pure. */
export function mergeCrontab(before: string | null, instanceName: string, line: string | null): string | null {
  const after = withManagedBlock(before ?? '', scheduleBlockId(instanceName), line ? [line] : null);
  return after === '' && line === null ? null : after;
}

/** Add or replace the block: installing twice leaves one line. */
export async function installCronLine(instanceName: string, line: string, user?: string): Promise<CrontabChange> {
  const before = await readCrontab(user);
  const after = mergeCrontab(before, instanceName, line);
  if (after === before) return { changed: false, before, after };
  await writeCrontab(after, user);
  return { changed: true, before, after };
}

/** Take the block out, giving back the crontab as it was before the install (none at all if there was none). */
export async function removeCronLine(instanceName: string, user?: string): Promise<CrontabChange> {
  const before = await readCrontab(user);
  if (before === null) return { changed: false, before, after: null };
  const after = mergeCrontab(before, instanceName, null);
  if (after === before) return { changed: false, before, after };
  await writeCrontab(after, user);
  return { changed: true, before, after };
}

/** This instance's scheduled line in a crontab, if installed. */
export function installedCronLine(crontab: string | null, instanceName: string): string | null {
  return readManagedBlock(crontab ?? '', scheduleBlockId(instanceName))?.find((l) => l.trim() !== '') ?? null;
}
