import fs from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { DERIVED_TABLES } from './derived-tables.js';
import { readManifest, type BackupManifest } from './manifest.js';
import { parseBackupName, type BackupFormat } from './naming.js';
import { isAgeFile } from './age.js';
import { checkDecryptedArchive, readDecrypted } from './decrypt.js';
import { checkArchive, copyLine, DUMP_COMPLETE_MARKER, digestPath, plainDumpComplete, StreamWatch } from './verify.js';

/** In plain dumps: a table's definition (the administration manual's `-T treenode_edge` drops the table itself). */
export const createLine = (table: string): string => `\nCREATE TABLE public.${table} (`;

/** What a restore needs to know about a dump before it touches the database; the Restore screen shows it. */
export interface BackupInspection {
  path: string;
  format: BackupFormat;
  manifest: BackupManifest | null;
  sizeBytes: number;
  sha256: string;
  /** Reasons the dump must not be restored; empty when it verified. */
  problems: string[];
  /** Whether the rows of all the derived tables are in the dump; if not, they are rebuilt after the restore. */
  derivedIncluded: boolean;
  /** Plain dumps: derived tables whose definitions the dump lacks (`pg_dump -T`). */
  derivedUndefined: string[];
  /** Extensions the dump creates (postgis, pg_trgm …). */
  extensions: string[];
  /** Archives: `pg_restore --list`'s table of contents. */
  toc?: string;
  /** The code version the dump was made under, when known (manifest, else the file name). */
  backupCommit: string | null;
  backupDescribe: string | null;
  /** An age-encrypted dump (`sha256` is the encrypted file's); read through the identity file when one was given. */
  encrypted?: boolean;
  /** How the load decrypts it: the identity, and the cleartext's sha256 it must have. */
  decrypt?: { identity: string; plainSha256: string };
}

/** How much of a plain dump's start is read for its CREATE EXTENSION statements (they come before any table). */
const HEAD_BYTES = 1 << 20;

/** Read the whole dump once: sha256 against the manifest, the completeness check, what it holds. */
export async function inspectBackup(
  file: string,
  pgRestore: string,
  onBytes?: (bytes: number) => void,
  /** The age identity file that decrypts an encrypted dump. */
  identity?: string,
): Promise<BackupInspection> {
  const target = path.resolve(file.replace(/\/+$/, ''));
  const stat = await fs.stat(target).catch(() => undefined);
  if (!stat) throw new UsageError(`no backup at ${target}`, 'list the backups with: catmaid-tui backups');
  const reading = await readManifest(target);
  const manifest = reading.state === 'ok' ? reading.manifest : null;
  const problems: string[] = [];
  if (reading.state === 'invalid') problems.push(`its manifest is unreadable (${reading.reason})`);
  if (manifest && !manifest.verified) problems.push('its manifest says it was never verified');

  const encrypted = Boolean(manifest?.encryption) || (stat.isFile() && isAgeFile(target));
  if (encrypted && !identity) problems.push('it is encrypted (age): restoring it needs the identity file, --identity FILE');
  const sniffed = stat.isDirectory() ? 'directory' : encrypted ? (manifest?.format ?? parseBackupName(target)?.format ?? 'sql') : await sniffFormat(target);
  if (typeof sniffed !== 'string') problems.push(sniffed.notADump);
  const format = typeof sniffed === 'string' ? sniffed : 'sql';
  const derived = DERIVED_TABLES.map((d) => d.table);
  const watch = new StreamWatch([...derived.flatMap((t) => [copyLine(t), createLine(t)]), DUMP_COMPLETE_MARKER]);
  const head = new HeadCollector(HEAD_BYTES);
  const visit = { push: (chunk: Buffer) => (watch.push(chunk), head.push(chunk)) };
  // A custom archive is hashed on its way through pg_restore's read (checkArchive): one reading, not two.
  const check = format === 'sql' || encrypted ? null : await checkArchive(pgRestore, target, onBytes);
  const digest = check?.digest ?? (await digestPath(target, format === 'sql' && !encrypted ? visit : undefined, onBytes));
  // An encrypted dump is checked as cleartext, read through age and never written anywhere.
  const clear = encrypted && identity && format === 'sql' ? await readDecrypted(identity, target, (chunk) => visit.push(chunk)).catch((err: unknown) => err as Error) : null;
  const archive = encrypted && identity && format === 'custom' ? await checkDecryptedArchive(pgRestore, identity, target) : null;
  const plainDigest = clear instanceof Error ? null : (clear ?? archive?.digest ?? null);
  if (clear instanceof Error) problems.push(clear.message);
  if (encrypted && plainDigest && manifest?.encryption && plainDigest.sha256 !== manifest.encryption.plainSha256) {
    problems.push('its decrypted contents differ from what the manifest recorded');
  }
  const archiveCheck = check ?? (archive ? { ...archive, ok: !archive.problem } : null);
  let withData: string[] = [];
  let derivedUndefined: string[] = [];
  let extensions: string[] = [];
  let toc: string | undefined;
  if (typeof sniffed !== 'string' || (encrypted && !plainDigest && !archive)) {
    // Nothing more to say about something that is not a dump, or that could not be decrypted.
  } else if (format === 'sql') {
    if (!plainDumpComplete(watch.tailText())) problems.push('it has no "dump complete" marker at its end: it is cut short');
    withData = derived.filter((t) => watch.saw(copyLine(t)));
    derivedUndefined = derived.filter((t) => !watch.saw(createLine(t)));
    extensions = [...head.text().matchAll(/^CREATE EXTENSION (?:IF NOT EXISTS )?("?[\w-]+"?)/gm)].map((m) => m[1].replace(/"/g, ''));
  } else if (archiveCheck) {
    const check = archiveCheck;
    if (!check.ok) problems.push(`pg_restore cannot read it (${check.problem})`);
    withData = check.tablesWithData;
    extensions = check.extensions;
    toc = check.toc;
  }
  let derivedIncluded = derived.every((t) => withData.includes(t));
  if (manifest) {
    if (manifest.sha256 !== digest.sha256) problems.push('its sha256 differs from the manifest: the file changed since the backup');
    if (manifest.format !== format) problems.push(`the manifest says ${manifest.format} but the file is ${format}`);
    derivedIncluded = !derived.some((t) => manifest.excludedTableData.includes(t));
  }
  const fromName = parseBackupName(target);
  return {
    path: target,
    format,
    manifest,
    sizeBytes: digest.sizeBytes,
    sha256: digest.sha256,
    problems,
    derivedIncluded,
    derivedUndefined,
    extensions,
    ...(toc ? { toc } : {}),
    backupCommit: manifest?.commit ?? fromName?.shortCommit ?? null,
    backupDescribe: manifest?.describe ?? null,
    encrypted,
    ...(encrypted && identity && plainDigest ? { decrypt: { identity, plainSha256: plainDigest.sha256 } } : {}),
  };
}

/** The first line pg_dump writes into a plain dump, after a `--` line. */
const PLAIN_HEADER = '-- PostgreSQL database dump';

/**
 * A custom archive starts with PGDMP, a plain dump with pg_dump's header comment; anything else is not a dump
 * (random bytes were called "cut short" before), and a gzip file is named as such.
 */
async function sniffFormat(file: string): Promise<BackupFormat | { notADump: string }> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const text = head.subarray(0, bytesRead).toString('latin1');
    if (text.startsWith('PGDMP')) return 'custom';
    if (text.split('\n').slice(0, 5).includes(PLAIN_HEADER)) return 'sql';
    if (head[0] === 0x1f && head[1] === 0x8b) return { notADump: 'it is gzip-compressed, not a dump itself: gunzip it first' };
    return { notADump: "it is not a dump: neither a pg_dump archive (PGDMP) nor a plain dump (pg_dump's header is missing)" };
  } finally {
    await handle.close();
  }
}

/** True when both versions are known and differ (a short commit matches the full one it abbreviates). */
export function commitMismatch(backupCommit: string | null, currentCommit: string | null): boolean {
  if (!backupCommit || !currentCommit) return false;
  return !(backupCommit.startsWith(currentCommit) || currentCommit.startsWith(backupCommit));
}

/** The first `size` bytes of a stream, as text. */
class HeadCollector {
  private readonly chunks: Buffer[] = [];
  private kept = 0;

  constructor(private readonly size: number) {}

  push(chunk: Buffer): void {
    if (this.kept >= this.size) return;
    this.chunks.push(Buffer.from(chunk.subarray(0, this.size - this.kept)));
    this.kept += this.chunks.at(-1)!.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
