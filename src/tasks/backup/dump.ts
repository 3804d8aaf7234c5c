import readline from 'node:readline';
import { execa } from 'execa';
import { libpqEnv } from '../db/connect.js';
import { CliError } from '../errors.js';
import type { DatabaseSettings } from '../instance/types.js';
import type { TaskLog } from '../task-log.js';
import type { BackupFormat } from './naming.js';
import { tableOfVerboseLine } from './progress.js';
import { EncryptStage } from './encrypt-stage.js';
import { DumpFollower } from './follow.js';
import { copyLine, DUMP_COMPLETE_MARKER, StreamWatch, type Digest } from './verify.js';
import { onAbort } from '../on-abort.js';

export interface DumpArgsInput {
  format: BackupFormat;
  jobs: number;
  excludeTableData: readonly string[];
  /**
   * The .partial folder pg_dump writes (directory format); files are written to pg_dump's standard output, the
   * .partial file catmaid-tui created itself (O_EXCL|O_NOFOLLOW), so pg_dump never opens a path of its own.
   */
  target?: string;
  /** An exported snapshot (contents.ts) pg_dump dumps, so the manifest's row counts are exactly the dump's. */
  snapshot?: string;
}

/** pg_dump's arguments; the connection comes from the environment (PGDATABASE …, PGPASSWORD), never argv. */
export function pgDumpArgs({ format, jobs, excludeTableData, target, snapshot }: DumpArgsInput): string[] {
  const args = ['--verbose', '--no-password', ...(target ? [`--file=${target}`] : []), ...(snapshot ? [`--snapshot=${snapshot}`] : [])];
  if (format === 'sql') args.push('--clean', '--if-exists');
  if (format === 'custom') args.push('--format=custom');
  if (format === 'directory') args.push('--format=directory', `--jobs=${Math.max(1, jobs)}`);
  for (const table of excludeTableData) args.push(`--exclude-table-data=${table}`);
  return args;
}

export interface DumpRun extends DumpArgsInput {
  pgDump: string;
  db: DatabaseSettings;
  /** Files: the open .partial that becomes pg_dump's standard output, and a path to read it back while it grows. */
  output?: { fd: number; path: string };
  signal?: AbortSignal;
  onTable?: (table: string) => void;
  /** Plain dumps only: bytes so far, as they are read back. */
  onBytes?: (bytes: number) => void;
  log?: TaskLog;
  /** Encrypt on the way to `output` (plain and custom formats): age with these recipients (encrypt-stage.ts). */
  encrypt?: { recipients: readonly string[]; pgRestore?: string };
}

export interface PlainDumpResult extends Digest {
  /** The end of the dump, for the completeness marker. */
  watch: StreamWatch;
}

/** Watched for in plain dumps: whether the edge table's rows are in it. */
export const EDGE_COPY = copyLine('treenode_edge');

/** pg_dump's words that are progress, not news of a failure. */
const CHATTER = /^pg_dump: (last built-in|reading|identifying|finding|flagging|saving|dumping|processing|finished|launching|creating|executing)/;

/**
 * Run pg_dump into `target`. Plain dumps are hashed while pg_dump writes them and resolve with the digest;
 * archives resolve with null. Encrypted dumps resolve with the cleartext's digest (the file holds ciphertext).
 * Throws a CliError with pg_dump's last words when it fails, is killed or aborted.
 */
export async function runPgDump(run: DumpRun): Promise<PlainDumpResult | null> {
  const args = pgDumpArgs(run);
  run.log?.command(run.pgDump, args);
  const encrypting =
    run.encrypt && run.output
      ? new EncryptStage({ ...run.encrypt, outFd: run.output.fd, format: run.format, needles: [EDGE_COPY, DUMP_COMPLETE_MARKER], onBytes: run.onBytes, signal: run.signal })
      : null;
  const child = execa(run.pgDump, args, {
    env: libpqEnv(run.db),
    extendEnv: false,
    stdin: 'ignore',
    // A descriptor number goes straight to child_process.spawn (execa's lib/stdio/native.js); its types name only 3–9.
    stdout: encrypting ? 'pipe' : ((run.output?.fd ?? 'ignore') as 'ignore'),
    stderr: 'pipe',
    buffer: false,
    reject: false,
  });
  const stopListening = onAbort(run.signal, () => child.kill('SIGTERM'));
  const said: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (line) => {
    run.log?.output(line);
    if (!CHATTER.test(line)) said.push(line);
    const table = tableOfVerboseLine(line);
    if (table) run.onTable?.(table);
  });
  const follower =
    run.format === 'sql' && run.output && !encrypting
      ? new DumpFollower(run.output.path, new StreamWatch([EDGE_COPY, DUMP_COMPLETE_MARKER]), run.onBytes)
      : null;
  follower?.start();
  const pumped = encrypting?.pump(child.stdout!).then(() => null, (err: unknown) => err);

  const outcome = await child;
  const pumpError = await pumped;
  // age's own failure (it refused the output, a recipient) is the cause when pg_dump then died of a broken pipe.
  const sealed = encrypting ? await encrypting.finish().catch((err: unknown) => err as Error) : null;
  stopListening();
  if (sealed instanceof Error && !run.signal?.aborted && outcome.exitCode !== 0) throw sealed;
  if (run.signal?.aborted || outcome.exitCode !== 0) {
    await follower?.stop();
    if (run.signal?.aborted) throw new CliError('backup interrupted; the unfinished dump was removed', 1);
    const how = outcome.signal ? `was killed (${outcome.signal})` : `failed (exit ${outcome.exitCode ?? '?'})`;
    throw new CliError(
      `pg_dump ${how}${said.length ? `: ${said.at(-1)}` : ''}; the unfinished dump was removed`,
      1,
      "see the task log for pg_dump's full output",
    );
  }
  if (sealed) {
    if (pumpError) throw pumpError;
    if (sealed instanceof Error) throw sealed;
    return sealed;
  }
  if (!follower) return null;
  return { ...(await follower.finish()), watch: follower.watch };
}
