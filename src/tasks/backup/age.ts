import fs from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { CliError, UsageError } from '../errors.js';
import { hasNoControlCharacters } from '../safe-name.js';

/**
 * Encryption with age (Debian package `age`): public-key recipients at backup time, an identity (private key)
 * file at restore time. age reads and writes streams, so a dump is encrypted on its way to disk and decrypted on
 * its way into psql or pg_restore: no cleartext copy ever touches the disk.
 */
export const AGE_HEADER = 'age-encryption.org/v1';
export const AGE_SUFFIX = '.age';

const HINT = 'an age public key (age1…), an SSH public key (ssh-ed25519 …, ssh-rsa …), or a file of them, one a line';

export function ageBinary(): string {
  const found = (process.env.PATH ?? '/usr/bin:/bin').split(':').filter(Boolean).map((dir) => path.join(dir, 'age')).find((file) => fs.existsSync(file));
  if (found) return found;
  if (fs.existsSync('/usr/bin/age')) return '/usr/bin/age';
  throw new CliError('age is not installed: backups cannot be encrypted or decrypted', 1, 'apt-get install age');
}

/** A recipient as age takes it: `-r KEY`, or `-R FILE` for a recipients file. Bad values are bad usage (exit 2). */
export function recipientArgs(recipients: readonly string[]): string[] {
  if (recipients.length === 0) throw new UsageError('--encrypt-to needs a recipient', HINT);
  return recipients.flatMap((recipient) => {
    const value = recipient.trim();
    if (!hasNoControlCharacters(value) || value === '') throw new UsageError(`--encrypt-to: "${recipient}" is not a recipient`, HINT);
    if (/^age1[0-9a-z]{20,}$/.test(value) || /^ssh-(ed25519|rsa) [A-Za-z0-9+/=]+( \S+)?$/.test(value)) return ['-r', value];
    if (path.isAbsolute(value) || value.startsWith('.')) {
      if (!fs.existsSync(value)) throw new UsageError(`--encrypt-to ${value}: no such recipients file`, HINT);
      return ['-R', path.resolve(value)];
    }
    throw new UsageError(`--encrypt-to: "${value}" is not a recipient`, HINT);
  });
}

/** The recipients a file holds (comments and blank lines left out), for the manifest and the screens. */
export function recipientsIn(recipients: readonly string[]): string[] {
  return recipients.flatMap((r) =>
    recipientArgs([r])[0] === '-R'
      ? fs.readFileSync(path.resolve(r.trim()), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
      : [r.trim()],
  );
}

/** age encrypting its standard input into `outFd` (the backup's `.partial`, created by catmaid-tui). */
export function startEncrypt(recipients: readonly string[], outFd: number, signal?: AbortSignal): ResultPromise {
  return execa(ageBinary(), ['--encrypt', ...recipientArgs(recipients)], {
    stdin: 'pipe',
    // A descriptor number goes straight to child_process.spawn (see dump.ts).
    stdout: outFd as unknown as 'ignore',
    stderr: 'pipe',
    buffer: { stderr: true },
    reject: false,
    cancelSignal: signal,
  });
}

/** age decrypting `file` with the identity file onto its standard output. */
export function startDecrypt(identity: string, file: string, signal?: AbortSignal): ResultPromise {
  return execa(ageBinary(), ['--decrypt', '-i', path.resolve(identity), file], {
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: { stdout: false, stderr: true },
    reject: false,
    cancelSignal: signal,
  });
}

/** Whether a file starts with age's header (an encrypted backup, whatever its name). */
export function isAgeFile(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(AGE_HEADER.length);
      fs.readSync(fd, head, 0, head.length, 0);
      return head.toString('latin1') === AGE_HEADER;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** An identity file must exist and be private: it decrypts every backup. */
export function checkIdentity(identity: string): string {
  const file = path.resolve(identity);
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new UsageError(`--identity ${identity}: no such file`, 'the age identity (private key) file, made by age-keygen');
  if ((stat.mode & 0o077) !== 0) {
    throw new UsageError(`--identity ${file} is readable by others (mode ${(stat.mode & 0o777).toString(8)})`, `chmod 600 ${file}`);
  }
  return file;
}

/** age's own words when it failed (wrong identity, a cut file …). */
export function ageError(stderr: unknown): string {
  const text = String(stderr ?? '').split('\n').map((l) => l.replace(/^age: (error: )?/, '').trim()).filter(Boolean);
  return text.find((l) => !/^\[ Did age not do what you expected/.test(l) && !l.startsWith('https://')) ?? 'age failed';
}
