import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { execa, type ResultPromise } from 'execa';
import { libpqEnv } from '../db/connect.js';
import { CliError } from '../errors.js';
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
  signal?: AbortSignal;
  log?: TaskLog;
  onTable?: (table: string) => void;
  /** Plain dumps only: bytes of the dump fed to psql so far. */
  onBytes?: (bytes: number) => void;
}

/** psql for a plain dump: one transaction, stop at the first error, the dump on stdin so its progress shows. */
export function psqlArgs(beforeFile?: string, afterFile?: string): string[] {
  const args = ['-X', '--no-password', '--quiet', '--single-transaction', '-v', 'ON_ERROR_STOP=1'];
  if (beforeFile) args.push('-f', beforeFile);
  args.push('-f', '-');
  if (afterFile) args.push('-f', afterFile);
  return args;
}

/** pg_restore for archives; with jobs > 1 it cannot be one transaction (pg_restore refuses both). */
export function pgRestoreArgs(database: string, file: string, jobs: number): string[] {
  const args = ['--verbose', '--no-password', '--clean', '--if-exists', '--exit-on-error'];
  args.push(...(jobs > 1 ? [`--jobs=${jobs}`] : ['--single-transaction']));
  args.push(`--dbname=${database}`, file);
  return args;
}

/** Load a dump into the database. Throws a CliError with the program's first error line when it fails. */
export async function loadDump(input: LoadInput): Promise<void> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'catmaid-tui-restore-'));
  try {
    const side = async (name: string, sql?: string) => {
      if (!sql) return undefined;
      const file = path.join(tmp, name);
      await fs.writeFile(file, sql, { mode: 0o600 });
      return file;
    };
    const plain = input.format === 'sql';
    const args = plain
      ? psqlArgs(await side('before.sql', input.before), await side('after.sql', input.after))
      : pgRestoreArgs(input.db.name, input.file, input.jobs);
    input.log?.command(input.program, plain ? [...args, `< ${input.file}`] : args);
    const env = { ...libpqEnv(input.db), PGOPTIONS: '-c client_min_messages=warning' };
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
    const feeding = plain ? feed(child, input) : Promise.resolve();
    const [result] = await Promise.all([child, feeding.catch(() => undefined)]);
    if (input.signal?.aborted) throw new CliError('restore interrupted; the transaction was rolled back', 1);
    if (result.exitCode !== 0) {
      const how = result.signal ? `was killed (${result.signal})` : `failed (exit ${result.exitCode})`;
      const what = errors[0] ? `: ${errors[0]}` : '';
      const state = plain || input.jobs <= 1 ? 'the database was left as it was' : 'the database may be half-restored';
      throw new CliError(`${path.basename(input.program)} ${how}${what}; ${state}`, 1, 'see the task log for the full output');
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
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

async function feed(child: ResultPromise, input: LoadInput): Promise<void> {
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      input.onBytes?.(bytes);
      done(null, chunk);
    },
  });
  // psql stops reading at the first error (ON_ERROR_STOP); the broken pipe that follows is not the news.
  await pipeline(createReadStream(input.file, { highWaterMark: 1 << 20 }), count, child.stdin!);
}
