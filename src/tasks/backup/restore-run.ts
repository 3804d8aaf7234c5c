import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { execa, type ResultPromise } from 'execa';
import { libpqEnv } from '../db/connect.js';
import { CliError, oneLine } from '../errors.js';
import type { DatabaseSettings } from '../instance/types.js';
import type { TaskLog } from '../task-log.js';
import type { BackupFormat } from './naming.js';
import { tableOfVerboseLine } from './progress.js';

export interface LoadInput {
  db: DatabaseSettings;
  file: string;
  format: BackupFormat;
  /** psql or pg_restore, by format. */
  program: string;
  jobs: number;
  /** Plain dumps only: SQL run before and after the dump, inside its one transaction. */
  before?: string;
  after?: string;
  /** Plain dumps only: the sha256 the dump verified with; the transaction commits only if what went in has it. */
  sha256?: string;
  /** The loader's application_name, so its lock waits can be watched (lock-watch.ts). */
  appName?: string;
  signal?: AbortSignal;
  log?: TaskLog;
  onTable?: (table: string) => void;
  /** Plain dumps only: bytes of the dump fed to psql so far. */
  onBytes?: (bytes: number) => void;
}

/**
 * psql for a plain dump: stop at the first error, the dump on stdin so its progress shows. No
 * `--single-transaction`: psql would COMMIT at the end of its input, and a pipe ends early when catmaid-tui dies
 * (kill -9), so half a dump would commit. catmaid-tui sends BEGIN itself and COMMIT only after the whole verified
 * dump went in; an input that ends before that leaves the transaction open, and the server rolls it back when
 * psql disconnects.
 */
export const PSQL_ARGS: readonly string[] = ['-X', '--no-password', '--quiet', '-v', 'ON_ERROR_STOP=1', '-f', '-'];

/** pg_restore for archives; with jobs > 1 it cannot be one transaction (pg_restore refuses both). */
export function pgRestoreArgs(database: string, file: string, jobs: number): string[] {
  const args = ['--verbose', '--no-password', '--clean', '--if-exists', '--exit-on-error'];
  args.push(...(jobs > 1 ? [`--jobs=${jobs}`] : ['--single-transaction']));
  args.push(`--dbname=${database}`, file);
  return args;
}

/** Load a dump into the database. Throws a CliError with the program's first error line when it fails. */
export async function loadDump(input: LoadInput): Promise<void> {
  const plain = input.format === 'sql';
  const args = plain ? [...PSQL_ARGS] : pgRestoreArgs(input.db.name, input.file, input.jobs);
  input.log?.command(input.program, plain ? [...args, `< BEGIN + ${input.file} + COMMIT`] : args);
  const env = { ...libpqEnv(input.db), PGOPTIONS: '-c client_min_messages=warning', ...(input.appName ? { PGAPPNAME: input.appName } : {}) };
  const child = execa(input.program, args, {
    env,
    extendEnv: false,
    stdin: plain ? 'pipe' : 'ignore',
    stdout: 'ignore',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    cancelSignal: input.signal,
  });
  const errors = watchStderr(child, input);
  const feeding = plain ? feed(child, input) : Promise.resolve(true);
  const [result, committed] = await Promise.all([child, feeding.catch((err: unknown) => err)]);
  if (input.signal?.aborted) {
    const why = input.signal.reason instanceof CliError ? input.signal.reason : null;
    throw why ?? new CliError('restore interrupted; the transaction was rolled back', 1);
  }
  if (result.exitCode !== 0) {
    const how = result.signal ? `was killed (${result.signal})` : `failed (exit ${result.exitCode})`;
    const what = errors[0] ? `: ${errors[0]}` : '';
    const state = plain || input.jobs <= 1 ? 'the database was left as it was' : 'the database may be half-restored';
    throw new CliError(`${path.basename(input.program)} ${how}${what}; ${state}`, 1, 'see the task log for the full output');
  }
  if (committed instanceof CliError) throw committed;
  if (committed !== true) {
    throw new CliError(`feeding the dump to psql failed: ${oneLine(committed)}; the database was left as it was`, 1);
  }
}

function watchStderr(child: ResultPromise, input: LoadInput): string[] {
  const errors: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (line) => {
    input.log?.output(line);
    if (/\b(ERROR|FATAL|error):/.test(line) && errors.length < 3) errors.push(line.trim());
    const table = tableOfVerboseLine(line);
    if (table) input.onTable?.(table);
  });
  return errors;
}

/**
 * BEGIN, the dump (hashed on the way), COMMIT. Resolves true once COMMIT was sent; when the bytes that went in
 * are not the verified dump, the input ends without COMMIT (rolled back) and it rejects.
 */
async function feed(child: ResultPromise, input: LoadInput): Promise<true> {
  const hash = createHash('sha256');
  async function* transaction() {
    yield Buffer.from(`BEGIN;\n${input.before ?? ''}`);
    let bytes = 0;
    for await (const chunk of createReadStream(input.file, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
      input.onBytes?.(bytes);
      yield chunk as Buffer;
    }
    yield Buffer.from(`\n${input.after ?? ''}\n`);
    if (input.sha256 && hash.digest('hex') !== input.sha256) {
      throw new CliError(`${input.file} changed after it was verified; the restore was rolled back, the database was left as it was`, 1);
    }
    yield Buffer.from('COMMIT;\n');
  }
  // psql stops reading at the first error (ON_ERROR_STOP); the broken pipe that follows is not the news.
  await pipeline(transaction, child.stdin!);
  return true;
}
