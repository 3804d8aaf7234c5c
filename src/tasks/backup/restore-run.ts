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
import type { RoleFilter } from './plain-filter.js';
import { tableOfVerboseLine } from './progress.js';
import { decryptedStream } from './decrypt.js';
import { superuserCommand, type Superuser } from './superuser.js';

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
  /** Plain dumps: what the stream passes through on its way to psql (the role's filter, plain-filter.ts). */
  filter?: RoleFilter;
  /** Archives: more pg_restore options (`--use-list FILE`, `--no-owner`). */
  extraArgs?: string[];
  /** Run the program as the PostgreSQL superuser instead of the CATMAID role (superuser.ts). */
  superuser?: Superuser;
  /**
   * An archive loaded through psql: this pg_restore turns it into SQL (as catmaid-tui's own user, who can read
   * the backup folder; it connects to nothing), fed to psql between BEGIN and COMMIT like a plain dump.
   */
  sqlFrom?: { pgRestore: string };
  /** An age-encrypted dump: decrypted on its way in; COMMIT only when the cleartext has the manifest's sha256. */
  decrypt?: { identity: string; plainSha256: string };
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

/** A load that failed: the program's error lines, and whether the database is as it was (one transaction). */
export class LoadFailure extends CliError {
  constructor(
    message: string,
    readonly errors: string[],
    readonly unchanged: boolean,
  ) {
    super(message, 1, 'see the task log for the full output');
    this.name = 'LoadFailure';
  }
}

/** The program and its arguments as the CATMAID role (libpq environment) or as the superuser (runuser). */
function command(input: LoadInput, args: string[]): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
  const extra = { PGOPTIONS: '-c client_min_messages=warning', ...(input.appName ? { PGAPPNAME: input.appName } : {}) };
  if (!input.superuser) return { file: input.program, args, env: { ...libpqEnv(input.db), ...extra } };
  const database = input.format === 'sql' || input.sqlFrom ? ['-d', input.db.name] : [];
  return { ...superuserCommand(input.superuser, input.program, [...database, ...args]), env: { PATH: process.env.PATH, ...extra } };
}

/** Load a dump into the database. Throws a LoadFailure with the program's error lines when it fails. */
export async function loadDump(input: LoadInput): Promise<void> {
  const plain = input.format === 'sql' || input.sqlFrom !== undefined;
  const run = command(input, plain ? [...PSQL_ARGS] : [...(input.extraArgs ?? []), ...pgRestoreArgs(input.db.name, input.file, input.jobs)]);
  input.log?.command(run.file, plain ? [...run.args, `< BEGIN + ${input.file} + COMMIT`] : run.args);
  const child = execa(run.file, run.args, {
    env: run.env,
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
    const unchanged = plain || input.jobs <= 1;
    const state = unchanged ? 'the database was left as it was' : 'the database may be half-restored';
    throw new LoadFailure(`${path.basename(input.program)} ${how}${what}; ${state}`, errors, unchanged);
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
    if (/\b(ERROR|FATAL|error):|^Command was:|from TOC entry/.test(line) && errors.length < 12) errors.push(line.trim());
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
    const source = sqlSource(input);
    for await (const chunk of source.stream) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
      input.onBytes?.(bytes);
      yield input.filter ? input.filter.push(chunk as Buffer) : (chunk as Buffer);
    }
    if (input.filter) yield input.filter.end();
    await source.done();
    yield Buffer.from(`\n${input.after ?? ''}\n`);
    if (input.sha256 && !input.sqlFrom && !input.decrypt && hash.digest('hex') !== input.sha256) {
      throw new CliError(`${input.file} changed after it was verified; the restore was rolled back, the database was left as it was`, 1);
    }
    yield Buffer.from('COMMIT;\n');
  }
  // psql stops reading at the first error (ON_ERROR_STOP); the broken pipe that follows is not the news.
  await pipeline(transaction, child.stdin!);
  return true;
}


/** The SQL that goes in: the plain dump's bytes, or what pg_restore makes of an archive (its failure ends it). */
function sqlSource(input: LoadInput): { stream: AsyncIterable<Buffer>; done: () => Promise<void> } {
  const clear = input.decrypt ? decryptedStream(input.decrypt.identity, input.file, input.signal) : null;
  const decrypted = async () => {
    const digest = await clear?.done();
    if (digest && digest.sha256 !== input.decrypt!.plainSha256) {
      throw new CliError(`${input.file} changed after it was verified; the restore was rolled back, the database was left as it was`, 1);
    }
  };
  if (!input.sqlFrom) return { stream: clear?.stream ?? createReadStream(input.file, { highWaterMark: 1 << 20 }), done: decrypted };
  const args = ['--clean', '--if-exists', '--file=-', ...(clear ? [] : [input.file])];
  input.log?.command(input.sqlFrom.pgRestore, clear ? [...args, `< age --decrypt ${input.file}`] : args);
  const child = execa(input.sqlFrom.pgRestore, args, { stdin: clear ? 'pipe' : 'ignore', stdout: 'pipe', stderr: 'pipe', buffer: { stdout: false, stderr: true }, reject: false });
  const fed = clear ? pipeline(clear.stream, child.stdin!).catch(() => undefined) : null;
  return {
    stream: child.stdout as AsyncIterable<Buffer>,
    done: async () => {
      await fed;
      await decrypted();
      const result = await child;
      if (result.exitCode !== 0) throw new CliError(`pg_restore could not read ${input.file}: ${`${result.stderr}`.trim().split('\n').at(-1)}; the restore was rolled back`, 1);
    },
  };
}
