import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { execa } from 'execa';
import { CliError, oneLine } from '../errors.js';
import { ageError, startDecrypt } from './age.js';
import { tocContents, type Digest } from './verify.js';

/**
 * An encrypted backup read as cleartext without writing it anywhere: age decrypts it with the admin's identity
 * file onto a pipe; the cleartext is hashed on the way (the manifest holds its sha256), and handed to whoever
 * reads it (the inspection's watch, pg_restore, psql).
 */
export interface DecryptedStream {
  stream: Readable;
  /** Resolves with the cleartext's digest once age ended well; throws with age's words when it did not. */
  done(): Promise<Digest>;
}

export function decryptedStream(identity: string, file: string, signal?: AbortSignal, onBytes?: (bytes: number) => void): DecryptedStream {
  const age = startDecrypt(identity, file, signal);
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      onBytes?.(sizeBytes);
      done(null, chunk);
    },
  });
  age.stdout!.pipe(tap);
  age.stdout!.on('error', (err) => tap.destroy(err));
  return {
    stream: tap,
    done: async () => {
      const result = await age;
      if (result.exitCode !== 0) throw new CliError(`cannot decrypt ${file} with ${identity}: ${ageError(result.stderr)}`, 1, 'the identity (private key) file that belongs to a recipient the backup was encrypted to');
      return { sha256: hash.digest('hex'), sizeBytes };
    },
  };
}

/** Read an encrypted dump whole: each cleartext chunk to `visit`; the cleartext's digest. */
export async function readDecrypted(identity: string, file: string, visit?: (chunk: Buffer) => void): Promise<Digest> {
  const source = decryptedStream(identity, file);
  for await (const chunk of source.stream) visit?.(chunk as Buffer);
  return source.done();
}

export interface DecryptedArchiveCheck {
  problem?: string;
  toc: string;
  tablesWithData: string[];
  extensions: string[];
  digest?: Digest;
}

/**
 * An encrypted custom archive checked as an unencrypted one is (verify.ts checkArchive): its table of contents
 * (`pg_restore --list` reading the cleartext from a pipe), then one full read into /dev/null with the cleartext's
 * digest on the way.
 */
export async function checkDecryptedArchive(pgRestore: string, identity: string, file: string): Promise<DecryptedArchiveCheck> {
  const listing = decryptedStream(identity, file);
  const list = execa(pgRestore, ['--list'], { stdin: 'pipe', reject: false, all: true });
  // pg_restore stops reading after the table of contents: the broken pipe that follows is expected.
  await pipeline(listing.stream, list.stdin!).catch(() => undefined);
  const listed = await list;
  const ageFailed = await listing.done().then(() => null, (err: unknown) => err as Error);
  if (listed.exitCode !== 0) {
    return { problem: ageFailed?.message ?? (oneLine(listed.all ?? '') || `pg_restore --list exit ${listed.exitCode}`), toc: '', tablesWithData: [], extensions: [] };
  }
  const contents = tocContents(listed.stdout);
  const reading = decryptedStream(identity, file);
  const read = execa(pgRestore, ['--file', '/dev/null'], { stdin: 'pipe', reject: false, all: true });
  await pipeline(reading.stream, read.stdin!).catch(() => undefined);
  const [readResult, digest] = await Promise.all([read, reading.done().catch((err: unknown) => err as Error)]);
  if (digest instanceof Error) return { problem: digest.message, ...contents };
  if (readResult.exitCode !== 0) return { problem: oneLine(readResult.all ?? '') || `pg_restore exit ${readResult.exitCode}`, ...contents };
  return { ...contents, digest };
}
