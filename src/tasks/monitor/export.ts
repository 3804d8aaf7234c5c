import path from 'node:path';
import { fileStamp, writeFileAtomic } from '../atomic-write.js';
import { instanceStatePath } from '../instance/identity.js';
import type { Session } from './types.js';

/**
 * The session table as CSV (RFC 4180: comma, CRLF, fields quoted where needed), one row per session with the
 * same fields as `monitor --once --json` prints, flattened. `monitor --once --csv` prints it; the screen's `e`
 * writes the rows it shows to catmaid-tui's state folder of the instance (0600: queries may hold data).
 */
export const CSV_COLUMNS = [
  'pid', 'program', 'program_label', 'client_pid', 'user', 'database', 'app', 'client', 'client_port', 'state',
  'wait_event_type', 'wait_event', 'xact_age_s', 'query_age_s', 'backend_age_s', 'xmin_age', 'blocked_by', 'query',
] as const;

function field(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(s: Session): string {
  const values: (string | number | null)[] = [
    s.pid, s.process?.program ?? null, s.process?.label ?? null, s.process?.pid ?? null, s.user, s.database, s.app,
    s.client, s.clientPort, s.state, s.waitEventType, s.waitEvent, s.xactAge, s.queryAge, s.backendAge, s.xminAge,
    s.blockedBy.join(' '), s.query,
  ];
  return values.map(field).join(',');
}

export function toCsv(sessions: readonly Session[]): string {
  return [CSV_COLUMNS.join(','), ...sessions.map(csvRow)].map((line) => `${line}\r\n`).join('');
}

/** Write the rows to `<state folder>/exports/monitor-<time>.csv`; returns the file. */
export async function exportSessions(root: string, sessions: readonly Session[], now = new Date()): Promise<string> {
  const file = path.join(instanceStatePath(root, 'exports'), `monitor-${fileStamp(now)}.csv`);
  await writeFileAtomic(file, toCsv(sessions), { mode: 0o600 });
  return file;
}

/** CSV back into records (for tests and scripts that check an export): quoted fields, "" escapes, CRLF rows. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += c;
  }
  // A last row without its CRLF (a shell or execa strips the final newline).
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
