import { UsageError } from '../errors.js';
import type { Session } from './types.js';

/**
 * Which sessions to show: `column:regex` terms (db, user, app, program, state, query), several at once, all of
 * which must match; a term without a column matches any of them. Case-insensitive; a regex with spaces goes in
 * double quotes (`query:"for update"`). The same rules for the screen's `/` and for `--filter`, plus the
 * minimum duration in the chosen duration mode (`--min-duration`).
 */
export const FILTER_COLUMNS = ['db', 'user', 'app', 'program', 'state', 'query'] as const;
export type FilterColumn = (typeof FILTER_COLUMNS)[number];

export interface FilterTerm {
  column: FilterColumn | null;
  pattern: RegExp;
  text: string;
}

export type DurationMode = 'query' | 'transaction' | 'backend';
export const DURATION_MODES: readonly DurationMode[] = ['query', 'transaction', 'backend'];

export interface Selection {
  terms: readonly FilterTerm[];
  /** Seconds; 0 shows every session. */
  minDuration: number;
  mode: DurationMode;
}

/** Split on spaces outside double quotes. */
function words(text: string): string[] {
  return [...text.matchAll(/(?:[^\s"]+|"[^"]*")+/g)].map((m) => m[0].replace(/"/g, ''));
}

/** Parse a filter; a bad column or regex is a UsageError naming it. */
export function parseFilter(text: string): FilterTerm[] {
  return words(text.trim()).map((word) => {
    const colon = word.indexOf(':');
    const head = colon > 0 ? word.slice(0, colon).toLowerCase() : '';
    const column = (FILTER_COLUMNS as readonly string[]).includes(head) ? (head as FilterColumn) : null;
    if (colon > 0 && column === null && /^[a-z]+$/.test(head)) {
      throw new UsageError(`unknown filter column "${head}"`, `columns: ${FILTER_COLUMNS.join(', ')} (e.g. state:idle.in)`);
    }
    const source = column ? word.slice(colon + 1) : word;
    try {
      return { column, pattern: new RegExp(source, 'i'), text: word };
    } catch (err) {
      throw new UsageError(`bad regular expression in filter "${word}": ${(err as Error).message}`);
    }
  });
}

/** The state as PostgreSQL says it and as the table shows it ("idle in txn"), so either spelling matches. */
const STATE_ALIASES: Record<string, string> = {
  'idle in transaction': 'idle in transaction|idle in txn',
  'idle in transaction (aborted)': 'idle in transaction (aborted)|txn aborted',
};

function fieldsOf(s: Session, column: FilterColumn): (string | null)[] {
  switch (column) {
    case 'db': return [s.database];
    case 'user': return [s.user];
    case 'app': return [s.app];
    case 'program': return [s.process?.label ?? null, s.process?.program ?? null];
    case 'state': return [s.state === null ? null : (STATE_ALIASES[s.state] ?? s.state)];
    case 'query': return [s.query];
  }
}

export function matchesTerm(s: Session, term: FilterTerm): boolean {
  const columns = term.column ? [term.column] : FILTER_COLUMNS;
  return columns.some((c) => fieldsOf(s, c).some((field) => field !== null && term.pattern.test(field)));
}

export function durationOf(s: Session, mode: DurationMode): number | null {
  if (mode === 'transaction') return s.xactAge;
  if (mode === 'backend') return s.backendAge;
  // An idle session's query ended long ago: its age is not a running query's duration.
  return s.state === 'idle' ? null : s.queryAge;
}

/** The sessions the selection lets through, in the order given. */
export function selectSessions(sessions: readonly Session[], selection: Selection): Session[] {
  const { terms, minDuration, mode } = selection;
  return sessions.filter((s) => {
    if (minDuration > 0 && (durationOf(s, mode) ?? -1) < minDuration) return false;
    return terms.every((term) => matchesTerm(s, term));
  });
}

/** `--min-duration 5`, `5s`, `2min`, `1h` → seconds. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h)?\s*$/i.exec(text);
  if (!match) throw new UsageError(`--min-duration takes seconds (5, 5s, 2min, 1h), not "${text}"`);
  const unit = (match[2] ?? 's').toLowerCase();
  return Number(match[1]) * (unit.startsWith('h') ? 3600 : unit.startsWith('m') ? 60 : 1);
}
