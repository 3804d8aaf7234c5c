import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { execa, type ResultPromise } from 'execa';
import { CliError, oneLine } from '../errors.js';
import { ageError, startEncrypt } from './age.js';
import type { BackupFormat } from './naming.js';
import { StreamWatch, type Digest } from './verify.js';

export interface EncryptInput {
  recipients: readonly string[];
  /** The `.partial` file catmaid-tui created: age's output. */
  outFd: number;
  format: BackupFormat;
  /** Custom archives are read back by `pg_restore` from the same stream, as the unencrypted ones are from disk. */
  pgRestore?: string;
  /** Plain dumps: what to look for in the cleartext (the "dump complete" marker, the edge table's rows). */
  needles: readonly string[];
  onBytes?: (bytes: number) => void;
  signal?: AbortSignal;
}

export interface EncryptedDump extends Digest {
  /** The cleartext's end and what was seen in it (plain dumps). */
  watch: StreamWatch;
}

/**
 * Between pg_dump and the disk: pg_dump's output is hashed (the cleartext's sha256 goes into the manifest, and a
 * restore checks it while decrypting), watched, and handed to age, whose output is the `.partial`. A custom
 * archive also goes to `pg_restore -f /dev/null` on the way, which reads it whole: the check the unencrypted
 * archive gets from the file, without a cleartext file.
 */
export class EncryptStage {
  private readonly age: ResultPromise;
  private readonly reader: ResultPromise | null;
  private readonly hash = createHash('sha256');
  private bytes = 0;
  readonly watch: StreamWatch;

  constructor(private readonly input: EncryptInput) {
    this.age = startEncrypt(input.recipients, input.outFd, input.signal);
    this.reader =
      input.format === 'custom' && input.pgRestore
        ? execa(input.pgRestore, ['--file', '/dev/null'], { stdin: 'pipe', stdout: 'ignore', stderr: 'pipe', reject: false, cancelSignal: input.signal })
        : null;
    this.watch = new StreamWatch(input.needles);
    // A child that quits early (age refused a recipient) breaks its pipe: its exit code is the news, not EPIPE.
    this.age.stdin?.on('error', () => undefined);
    this.reader?.stdin?.on('error', () => undefined);
  }

  /** Feed pg_dump's standard output through; resolves when it has all gone to age. */
  async pump(source: Readable): Promise<void> {
    const tap = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.hash.update(chunk);
        this.watch.push(chunk);
        this.bytes += chunk.length;
        this.input.onBytes?.(this.bytes);
        done(null, chunk);
      },
    });
    if (this.reader?.stdin) tap.pipe(this.reader.stdin);
    await pipeline(source, tap, this.age.stdin!).catch((err: unknown) => {
      if (!this.input.signal?.aborted) throw new CliError(`encrypting the dump failed: ${oneLine(err)}`, 1);
    });
  }

  /** Wait for age (and the archive reader); the cleartext's digest, or why the backup must not be kept. */
  async finish(): Promise<EncryptedDump> {
    const [age, reader] = await Promise.all([this.age, this.reader]);
    if (age.exitCode !== 0) throw new CliError(`age could not encrypt the dump: ${ageError(age.stderr)}; the unfinished dump was removed`, 1);
    if (reader && reader.exitCode !== 0) {
      const said = String(reader.stderr ?? '').trim().split('\n').at(-1) ?? `exit ${reader.exitCode}`;
      throw new CliError(`the archive does not read back: ${said}; the unfinished dump was removed`, 1);
    }
    return { sha256: this.hash.digest('hex'), sizeBytes: this.bytes, watch: this.watch };
  }
}
