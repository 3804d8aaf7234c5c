import type { Column } from '../../components/table-layout.js';
import { durationOf, type DurationMode } from '../../tasks/monitor/filter.js';
import type { Session } from '../../tasks/monitor/types.js';
import { formatSeconds, programLabel, queryLine, sessionMark, shortState, waitLabel } from './format.js';

/**
 * The session table's columns for a width. The query matters most: columns are dropped, least useful first,
 * until the query keeps a third of the width (at least MIN_QUERY cells), so no header wraps at 80 columns
 * (`QUERY` once wrapped as `QUE…`). Layouts are fixed per width: rows never shift as values change.
 */
export const MIN_QUERY = 24;
const queryRoom = (width: number): number => Math.max(MIN_QUERY, Math.floor(width * 0.35));

const DURATION_HEADER: Record<DurationMode, string> = { query: 'QUERY T', transaction: 'XACT T', backend: 'CONN T' };

interface Ranked {
  column: Column<Session>;
  /** Lower is dropped first. */
  rank: number;
}

function candidates(width: number, mode: DurationMode): Ranked[] {
  const wide = width >= 160;
  const other: DurationMode = mode === 'transaction' ? 'query' : 'transaction';
  return [
    { rank: 99, column: { header: ' ', width: 1, value: sessionMark } },
    { rank: 98, column: { header: 'PID', width: 7, align: 'right', value: (s) => String(s.pid) } },
    { rank: 80, column: { header: 'PROGRAM', width: wide ? 18 : 15, value: programLabel } },
    { rank: 20, column: { header: 'DB', width: 10, value: (s) => s.database ?? '-' } },
    { rank: 50, column: { header: 'USER', width: wide ? 14 : 11, value: (s) => s.user ?? 'hidden' } },
    { rank: 30, column: { header: 'APP', width: wide ? 16 : 12, value: (s) => s.app || '-' } },
    { rank: 25, column: { header: 'CLIENT', width: 15, value: (s) => s.client ?? 'hidden' } },
    { rank: 90, column: { header: 'STATE', width: 11, value: (s) => shortState(s.state) } },
    { rank: 40, column: { header: 'WAIT', width: wide ? 16 : 12, value: waitLabel } },
    { rank: 95, column: { header: DURATION_HEADER[mode], width: 8, align: 'right', value: (s) => formatSeconds(durationOf(s, mode)) } },
    { rank: 35, column: { header: DURATION_HEADER[other], width: 8, align: 'right', value: (s) => formatSeconds(durationOf(s, other)) } },
    { rank: 100, column: { header: 'QUERY', value: queryLine } },
  ];
}

/** Fixed widths plus one space between columns. */
const fixedWidth = (columns: readonly Column<Session>[]): number =>
  columns.reduce((sum, c) => sum + (c.width ?? 0), 0) + columns.length - 1;

export function sessionColumns(width: number, mode: DurationMode): Column<Session>[] {
  let ranked = candidates(width, mode);
  while (width - fixedWidth(ranked.map((r) => r.column)) < queryRoom(width)) {
    const lowest = ranked.reduce((low, r) => (r.column.width !== undefined && r.rank < low.rank ? r : low));
    if (lowest.rank >= 95) break;
    ranked = ranked.filter((r) => r !== lowest);
  }
  return ranked.map((r) => r.column);
}
