import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { execa } from 'execa';

export const DUMP_COMPLETE_MARKER = '-- PostgreSQL database dump complete';
/** How much of a plain dump's end is kept to look for the marker. */
export const TAIL_BYTES = 64 * 1024;

/**
 * A plain dump is complete when the marker is a line of its own and only blank lines, comments or psql meta
 * commands (newer pg_dump ends with `\unrestrict <key>`) follow. Row data that merely contains the marker's
 * text never ends a file like that.
 */
export function plainDumpComplete(tail: string): boolean {
  const lines = tail.split('\n');
  const at = lines.lastIndexOf(DUMP_COMPLETE_MARKER);
  if (at < 0) return false;
  return lines.slice(at + 1).every((line) => line.trim() === '' || line.startsWith('--') || line.startsWith('\\'));
}

/**
 * Keeps the last `size` bytes of a stream and notices strings anywhere in it, across chunk borders. Chunks are
 * kept by reference and joined only when the tail is asked for: a dump passes through here once, whole.
 */
export class StreamWatch {
  private chunks: Buffer[] = [];
  private kept = 0;
  private edge = Buffer.alloc(0);
  private readonly found = new Set<string>();
  private readonly overlap: number;

  constructor(
    private readonly needles: readonly string[] = [],
    private readonly size = TAIL_BYTES,
  ) {
    this.overlap = Math.max(0, ...needles.map((n) => Buffer.byteLength(n) - 1));
  }

  push(chunk: Buffer): void {
    for (const needle of this.needles) {
      if (this.found.has(needle)) continue;
      const across = this.edge.length > 0 && Buffer.concat([this.edge, chunk.subarray(0, this.overlap)]).includes(needle);
      if (across || chunk.includes(needle)) this.found.add(needle);
    }
    const tailOfChunk = chunk.subarray(Math.max(0, chunk.length - this.overlap));
    this.edge = tailOfChunk.length >= this.overlap ? Buffer.from(tailOfChunk) : Buffer.concat([this.edge, tailOfChunk]).subarray(-this.overlap);
    this.chunks.push(Buffer.from(chunk.subarray(Math.max(0, chunk.length - this.size))));
    this.kept += this.chunks.at(-1)!.length;
    while (this.chunks.length > 1 && this.kept - this.chunks[0].length >= this.size) this.kept -= this.chunks.shift()!.length;
  }

  tailText(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.size)).toString('utf8');
  }

  saw(needle: string): boolean {
    return this.found.has(needle);
  }
}

/** The plain-dump line that starts a table's rows, e.g. `COPY public.treenode_edge (`. */
export const copyLine = (table: string): string => `\nCOPY public.${table} (`;

async function filesOf(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

export interface Digest {
  sha256: string;
  sizeBytes: number;
}

/**
 * sha256 and size of a dump file, or of a directory dump: its files in name order, each as name, NUL, content.
 * `watch` sees the bytes of a single file as they pass; `onBytes` hears how far the reading got.
 */
export async function digestPath(target: string, watch?: Pick<StreamWatch, 'push'>, onBytes?: (bytes: number) => void): Promise<Digest> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const feed = async (file: string) => {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      watch?.push(chunk as Buffer);
      sizeBytes += (chunk as Buffer).length;
      onBytes?.(sizeBytes);
    }
  };
  const stat = await fs.stat(target);
  if (stat.isDirectory()) {
    for (const name of await filesOf(target)) {
      hash.update(`${name}\0`);
      await feed(path.join(target, name));
    }
  } else {
    await feed(target);
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}

/** Total bytes under a path (a directory dump grows as several files). */
export async function sizeOf(target: string): Promise<number> {
  const stat = await fs.stat(target).catch(() => undefined);
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const name of await filesOf(target).catch(() => [])) {
    total += (await fs.stat(path.join(target, name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

export interface ArchiveCheck {
  ok: boolean;
  problem?: string;
  /** Tables whose rows are in the archive (from its table of contents). */
  tablesWithData: string[];
  /** Extensions the archive creates. */
  extensions: string[];
  /** `pg_restore --list`'s table of contents, for a restore that leaves entries out (-L). */
  toc: string;
}

/**
 * An archive passes when `pg_restore --list` reads its table of contents and a full read into /dev/null
 * succeeds: the list alone does not notice a custom archive cut short after its header. A custom archive is read
 * once: its bytes go through the hash on their way to pg_restore's standard input, so the checksum costs no
 * second reading; a directory archive is hashed while pg_restore reads it (`digest` either way).
 */
export async function checkArchive(pgRestore: string, target: string, onBytes?: (bytes: number) => void): Promise<ArchiveCheck & { digest?: Digest }> {
  if ((await fs.stat(target)).isDirectory()) {
    // The listing, pg_restore's reading and the hash side by side: after the dump the machine is idle.
    const [list, read, digest] = await Promise.all([
      execa(pgRestore, ['--list', target], { reject: false, all: true }),
      execa(pgRestore, ['--file', '/dev/null', target], { reject: false, all: true }),
      digestPath(target, undefined, onBytes).catch((err: unknown) => err as Error),
    ]);
    if (list.exitCode !== 0) return { ok: false, problem: lastLine(list.all), tablesWithData: [], extensions: [], toc: '' };
    const contents = tocContents(list.stdout);
    if (read.exitCode !== 0) return { ok: false, problem: lastLine(read.all), ...contents };
    if (digest instanceof Error) throw digest;
    return { ok: true, ...contents, digest };
  }
  const list = await execa(pgRestore, ['--list', target], { reject: false, all: true });
  if (list.exitCode !== 0) return { ok: false, problem: lastLine(list.all), tablesWithData: [], extensions: [], toc: '' };
  const contents = tocContents(list.stdout);
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const reader = execa(pgRestore, ['--file', '/dev/null'], { reject: false, all: true, stdin: 'pipe' });
  async function* hashed() {
    for await (const chunk of createReadStream(target, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      sizeBytes += (chunk as Buffer).length;
      onBytes?.(sizeBytes);
      yield chunk as Buffer;
    }
  }
  // pg_restore stops reading at the end of its last entry; bytes after that (or a broken pipe) are not its news.
  const [read] = await Promise.all([reader, pipeline(hashed, reader.stdin!).catch(() => undefined)]);
  if (read.exitCode !== 0) return { ok: false, problem: lastLine(read.all), ...contents };
  const digest = await (async () => {
    // If pg_restore stopped reading early, the hash misses the end: read what is left.
    if (sizeBytes < (await fs.stat(target)).size) return digestPath(target);
    return { sha256: hash.digest('hex'), sizeBytes };
  })();
  return { ok: true, ...contents, digest };
}

/** What a table of contents (`pg_restore --list`) says: the tables with rows, the extensions, the list itself. */
export function tocContents(toc: string): { tablesWithData: string[]; extensions: string[]; toc: string } {
  return {
    tablesWithData: [...toc.matchAll(/TABLE DATA (\S+) (\S+) /g)].map((m) => m[2]),
    extensions: [...toc.matchAll(/^\d+; \d+ \d+ EXTENSION - (\S+)/gm)].map((m) => m[1]),
    toc,
  };
}

function lastLine(text: string | undefined): string {
  const lines = (text ?? '').split('\n').filter((l) => l.trim() !== '');
  return lines.at(-1)?.trim() ?? 'no output';
}
