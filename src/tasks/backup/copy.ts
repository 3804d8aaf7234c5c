import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { CliError, oneLine } from '../errors.js';
import type { TaskLog } from '../task-log.js';
import { destinationPath, parseDestination, rsyncShell, shellQuote, sshArgs, type CopyDestination } from './copy-destination.js';
import { readManifest, updateManifest, type BackupManifest, type CopyRecord } from './manifest.js';
import { manifestPath } from './naming.js';
import type { CopyOutcome } from './runs.js';
import { digestPath } from './verify.js';

export interface CopyOptions {
  sshConfig?: string;
  log?: TaskLog;
  signal?: AbortSignal;
  now?: () => Date;
}

/** Where rsync keeps a transfer that was cut off, inside the destination: the next run goes on from it. */
export const PARTIAL_DIR = '.catmaid-tui-partial';

/** sha256 per file of a directory dump, by relative path (`./toc.dat` …), as sha256sum prints them. */
type FileSums = Map<string, string>;

async function localSums(dir: string): Promise<FileSums> {
  const sums: FileSums = new Map();
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    sums.set(`./${path.relative(dir, file)}`, hash.digest('hex'));
  }
  return sums;
}

const sameSums = (a: FileSums, b: FileSums): boolean => a.size === b.size && [...a].every(([name, sum]) => b.get(name) === sum);

function parseSums(text: string): FileSums {
  const sums: FileSums = new Map();
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (match) sums.set(match[2], match[1]);
  }
  return sums;
}

/** Run a command on the destination host: the one place a command line reaches a shell (the remote one), quoted. */
async function remote(dest: Extract<CopyDestination, { kind: 'ssh' }>, words: string[], options: CopyOptions): Promise<string> {
  const line = words.join(' ');
  options.log?.command('ssh', [dest.host, line]);
  const run = await execa('ssh', [...sshArgs(options.sshConfig), dest.host, line], { reject: false, all: true, cancelSignal: options.signal, stdin: 'ignore' });
  if (run.exitCode !== 0) throw new CliError(`ssh ${dest.host}: ${oneLine(run.all ?? '') || `exit ${run.exitCode}`}`, 1);
  return run.stdout;
}

/** Size and sha256 of the copy as the destination reads it (a directory dump: each file's sha256). */
async function verifyAtDestination(dest: CopyDestination, name: string, manifest: BackupManifest, source: string, options: CopyOptions): Promise<void> {
  const isDir = manifest.format === 'directory';
  if (dest.kind === 'local') {
    const target = path.join(dest.dir, name);
    if (isDir) {
      if (!sameSums(await localSums(source), await localSums(target))) throw new CliError('the copy differs from the backup (sha256 of its files)', 1);
      return;
    }
    const digest = await digestPath(target);
    if (digest.sizeBytes !== manifest.sizeBytes) throw new CliError(`the copy has ${digest.sizeBytes} bytes, the backup ${manifest.sizeBytes}`, 1);
    if (digest.sha256 !== manifest.sha256) throw new CliError('the copy differs from the backup (sha256)', 1);
    return;
  }
  const where = shellQuote(path.posix.join(dest.dir, name));
  if (isDir) {
    const sums = parseSums(await remote(dest, ['cd', '--', where, '&&', 'find', '.', '-type', 'f', '-exec', 'sha256sum', '--', '{}', '+'], options));
    if (!sameSums(await localSums(source), sums)) throw new CliError('the copy differs from the backup (sha256 of its files)', 1);
    return;
  }
  const [size, sum] = (await remote(dest, ['stat', '-c', '%s', '--', where, '&&', 'sha256sum', '--', where], options)).trim().split('\n');
  if (Number(size) !== manifest.sizeBytes) throw new CliError(`the copy has ${size} bytes, the backup ${manifest.sizeBytes}`, 1);
  if (sum?.split(' ')[0] !== manifest.sha256) throw new CliError('the copy differs from the backup (sha256)', 1);
}

async function rsync(source: string, target: string, isDir: boolean, options: CopyOptions): Promise<void> {
  // --partial-dir keeps what arrived of a cut-off transfer; --no-whole-file lets the next run go on from it even
  // between local disks. Files arrive under a temporary name and are renamed once complete (rsync's own way).
  const args = ['--partial', `--partial-dir=${PARTIAL_DIR}`, '--no-whole-file', '--perms', '--chmod=D700,F600', '--times', '--stats', '-s', '-e', rsyncShell(options.sshConfig)];
  if (isDir) args.push('--recursive');
  args.push('--', isDir ? `${source.replace(/\/+$/, '')}/` : source, isDir ? `${target}/` : target);
  options.log?.command('rsync', args);
  const run = await execa('rsync', args, { reject: false, all: true, cancelSignal: options.signal, stdin: 'ignore' });
  options.log?.output(run.all ?? '');
  if (run.exitCode !== 0) {
    const said = (run.all ?? '').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('rsync error:')).at(-1);
    throw new CliError(`rsync ${run.signal ? `was killed (${run.signal})` : `failed (exit ${run.exitCode})`}${said ? `: ${said}` : ''}`, 1);
  }
}

async function ensureFolder(dest: CopyDestination, options: CopyOptions): Promise<void> {
  if (dest.kind === 'local') await fs.mkdir(dest.dir, { recursive: true, mode: 0o700 });
  else await remote(dest, ['mkdir', '-p', '-m', '700', '--', shellQuote(dest.dir)], options);
}

/**
 * Copy one verified backup to a destination: the dump by rsync (resumable), verified at the destination by size
 * and sha256, then its manifest, so the destination never lists a backup whose copy is not proven. The copy is
 * recorded in the local manifest. Throws a CliError saying what failed; a copy that did not verify is removed.
 */
export async function copyBackup(dumpPath: string, destination: string, options: CopyOptions = {}): Promise<CopyRecord> {
  const dest = parseDestination(destination);
  const reading = await readManifest(dumpPath);
  if (reading.state !== 'ok' || !reading.manifest.verified) throw new CliError(`${dumpPath} has no verified manifest: only verified backups are copied`, 1);
  const manifest = reading.manifest;
  const name = path.basename(dumpPath);
  const isDir = manifest.format === 'directory';
  await ensureFolder(dest, options);
  await rsync(dumpPath, destinationPath(dest, name), isDir, options);
  try {
    await verifyAtDestination(dest, name, manifest, dumpPath, options);
  } catch (err) {
    await removeCopy(dest, name, options).catch(() => undefined);
    throw err;
  }
  await rsync(manifestPath(dumpPath), destinationPath(dest, `${name}.json`), false, options);
  const record: CopyRecord = { destination: dest.text, path: destinationPath(dest, name), at: (options.now?.() ?? new Date()).toISOString(), sizeBytes: manifest.sizeBytes, sha256: manifest.sha256 };
  options.log?.line(`copied ${dumpPath} to ${record.path}: ${manifest.sizeBytes} bytes, sha256 verified there`);
  await updateManifest(dumpPath, (m) => ({ ...m, copies: [...(m.copies ?? []).filter((c) => c.destination !== dest.text), record] }));
  return record;
}

async function removeCopy(dest: CopyDestination, name: string, options: CopyOptions): Promise<void> {
  if (dest.kind === 'local') await fs.rm(path.join(dest.dir, name), { recursive: true, force: true });
  else await remote(dest, ['rm', '-rf', '--', shellQuote(path.posix.join(dest.dir, name))], options);
}

/** Copy to each destination in turn; a failure is an outcome (reported like a failed backup), never a throw. */
export async function copyToAll(dumpPath: string, destinations: readonly string[], options: CopyOptions = {}): Promise<CopyOutcome[]> {
  const outcomes: CopyOutcome[] = [];
  for (const destination of destinations) {
    try {
      const record = await copyBackup(dumpPath, destination, options);
      outcomes.push({ destination, ok: true, detail: record.path });
    } catch (err) {
      options.log?.line(`copy of ${dumpPath} to ${destination} failed: ${oneLine(err)}`);
      outcomes.push({ destination, ok: false, detail: oneLine(err) });
    }
  }
  return outcomes;
}
