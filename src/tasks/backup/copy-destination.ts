import path from 'node:path';
import { UsageError } from '../errors.js';
import { hasNoControlCharacters } from '../safe-name.js';

/** Where `--copy-to` sends verified backups: another disk, or a folder on another machine over ssh (rsync). */
export type CopyDestination =
  | { kind: 'local'; dir: string; text: string }
  | { kind: 'ssh'; host: string; dir: string; text: string };

const HINT = 'a folder (/mnt/offsite) or user@host:folder for rsync over ssh';

/**
 * Read a destination as rsync does: `[user@]host:path` is remote, anything else a local path (a local path with a
 * colon is written `./a:b`). Control characters and leading dashes are refused: these end up in argv of rsync and
 * ssh, and a remote path in a command line the remote shell reads.
 */
export function parseDestination(text: string): CopyDestination {
  const value = text.trim();
  if (!value || !hasNoControlCharacters(value)) throw new UsageError(`--copy-to "${text}": not a destination`, HINT);
  const remote = /^(?:([A-Za-z0-9._][A-Za-z0-9._-]*)@)?([A-Za-z0-9][A-Za-z0-9.-]*|\[[0-9A-Fa-f:.]+\]):(.*)$/.exec(value);
  if (remote && !value.startsWith('/') && !value.startsWith('.')) {
    const [, user, host, dir] = remote;
    if (dir === '' || dir.startsWith('-')) throw new UsageError(`--copy-to ${value}: name the folder after the colon`, HINT);
    return { kind: 'ssh', host: user ? `${user}@${host}` : host, dir: dir.replace(/\/+$/, '') || '/', text: value };
  }
  if (value.startsWith('-')) throw new UsageError(`--copy-to ${value}: not a destination`, HINT);
  return { kind: 'local', dir: path.resolve(value), text: path.resolve(value) };
}

/** A file in the destination, as rsync names it (`host:dir/name` or a local path). */
export function destinationPath(dest: CopyDestination, name: string): string {
  return dest.kind === 'local' ? path.join(dest.dir, name) : `${dest.host}:${path.posix.join(dest.dir, name)}`;
}

/** POSIX shell quoting, for the one command line ssh hands the remote shell. */
export const shellQuote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

/** ssh's arguments: never a password prompt (cron has nobody to answer), an admin's config file for host and key. */
export function sshArgs(sshConfig?: string): string[] {
  return ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=20', ...(sshConfig ? ['-F', path.resolve(sshConfig)] : [])];
}

/** rsync's `-e`: rsync splits it itself (no shell), honouring quotes; a config path with quotes is refused. */
export function rsyncShell(sshConfig?: string): string {
  if (sshConfig && /['"\\\s]/.test(sshConfig)) throw new UsageError(`--ssh-config ${sshConfig}: a path without spaces or quotes, please`);
  return ['ssh', ...sshArgs(sshConfig)].join(' ');
}
