/** Live figures of a running dump or restore, for the screen's progress line and the `--json` stream. */
export interface ProgressFigures {
  bytes: number;
  elapsedMs: number;
  /** Bytes per second since the start; 0 before the first second. */
  rate: number;
  /** pg_database_size: on-disk size, an upper bound for a plain dump more often than not. */
  estimateBytes: number | null;
  /** 0..1 against the estimate, capped just below 1 until the dump is really finished. */
  fraction: number | null;
}

export function progressFigures(bytes: number, elapsedMs: number, estimateBytes: number | null): ProgressFigures {
  const rate = elapsedMs >= 1000 ? Math.round((bytes / elapsedMs) * 1000) : 0;
  const fraction = estimateBytes && estimateBytes > 0 ? Math.min(0.99, bytes / estimateBytes) : null;
  return { bytes, elapsedMs, rate, estimateBytes, fraction };
}

/**
 * The table a `pg_dump --verbose` or `pg_restore --verbose` line says is being worked on, or null. Serial dumps
 * say `dumping contents of table "public.treenode"`; parallel ones `launching item 3385 TABLE DATA public treenode`;
 * pg_restore `processing data for table "public.treenode"`.
 */
export function tableOfVerboseLine(line: string): string | null {
  const quoted = /(?:dumping contents of table|processing data for table) "([^"]+)"/.exec(line);
  if (quoted) return quoted[1];
  const item = /launching item \d+ TABLE DATA (\S+) (\S+)/.exec(line);
  if (item) return `${item[1]}.${item[2]}`;
  return null;
}

/** `pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)` → `15.18`. */
export function programVersion(output: string): string {
  return /\(PostgreSQL\)\s+(\S+)/.exec(output)?.[1] ?? output.trim();
}

