import type { RoleRestorePlan } from './role-restore.js';

const NL = 0x0a;
const COPY_END = Buffer.from('\n\\.\n');

/**
 * A plain dump on its way to psql, without what a restore as the role must leave out (role-restore.ts): the
 * lines `DROP EXTENSION …`, `CREATE EXTENSION …` and `COMMENT ON EXTENSION …` of installed extensions, the COPY
 * blocks of extension tables, and `ALTER … OWNER TO` another role (what `pg_restore --no-owner` leaves out).
 * Statements are looked at line by line; the rows of a COPY are passed on in whole runs up to its `\.`, unread,
 * so a large dump costs a search for one byte pattern per chunk.
 */
export class RoleFilter {
  private rest: Buffer = Buffer.alloc(0);
  private mode: 'sql' | 'copy' | 'skip-copy' | 'skip-comment' = 'sql';
  /** What was left out, once each. */
  readonly left = new Set<string>();
  private readonly extensionLine: RegExp;
  private readonly tables: Set<string>;

  constructor(private readonly plan: RoleRestorePlan) {
    const names = plan.extensions.map((e) => e.replace(/[^\w-]/g, '')).join('|') || '(?!)';
    this.extensionLine = new RegExp(`^(?:DROP EXTENSION (?:IF EXISTS )?|CREATE EXTENSION (?:IF NOT EXISTS )?|COMMENT ON EXTENSION )"?(${names})"?[ ;]`);
    this.tables = new Set(plan.extensionTables);
  }

  /** The part of the dump up to the last whole line of `chunk` that goes on (the rest waits for the next chunk). */
  push(chunk: Buffer): Buffer {
    const buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const out: Buffer[] = [];
    let pos = 0;
    while (pos < buf.length) {
      if (this.mode === 'copy' || this.mode === 'skip-copy') {
        // `pos` is at the start of a line: the block ends at a line that is exactly `\.`.
        const at = buf[pos] === 0x5c && buf[pos + 1] === 0x2e && buf[pos + 2] === NL ? pos - 1 : buf.indexOf(COPY_END, Math.max(0, pos - 1));
        if (at < 0) {
          const lastLine = buf.lastIndexOf(NL) + 1;
          if (lastLine <= pos) break;
          if (this.mode === 'copy') out.push(buf.subarray(pos, lastLine));
          pos = lastLine;
          break;
        }
        const end = at + COPY_END.length;
        if (this.mode === 'copy') out.push(buf.subarray(pos, end));
        this.mode = 'sql';
        pos = end;
        continue;
      }
      const nl = buf.indexOf(NL, pos);
      if (nl < 0) break;
      if (this.keep(buf.toString('utf8', pos, nl))) out.push(buf.subarray(pos, nl + 1));
      pos = nl + 1;
    }
    this.rest = Buffer.from(buf.subarray(pos));
    return Buffer.concat(out);
  }

  /** What is left at the end of the dump (a last line without its newline). */
  end(): Buffer {
    const last = this.rest;
    this.rest = Buffer.alloc(0);
    if (this.mode === 'copy') return last;
    return last.length && this.mode === 'sql' && this.keep(last.toString('utf8')) ? last : Buffer.alloc(0);
  }

  /** Whether a statement line goes on; switches into and out of COPY blocks and multi-line comments. */
  private keep(line: string): boolean {
    if (this.mode === 'skip-comment') {
      if (/';$/.test(line)) this.mode = 'sql';
      return false;
    }
    const copy = /^COPY (\S+) .*FROM stdin;$/.exec(line);
    if (copy) {
      const table = copy[1].replace(/"/g, '');
      if (this.tables.has(table)) {
        this.left.add(`rows of ${table}`);
        this.mode = 'skip-copy';
        return false;
      }
      this.mode = 'copy';
      return true;
    }
    const extension = this.extensionLine.exec(line);
    if (extension) {
      this.left.add(`extension ${extension[1]} (drop, create, comment)`);
      if (line.startsWith('COMMENT') && !/';$/.test(line)) this.mode = 'skip-comment';
      return false;
    }
    const owner = /^ALTER .* OWNER TO ("?[^";]+"?);$/.exec(line);
    if (owner && owner[1].replace(/"/g, '') !== this.plan.role) {
      this.left.add(`owners other than ${this.plan.role}`);
      return false;
    }
    return true;
  }
}
