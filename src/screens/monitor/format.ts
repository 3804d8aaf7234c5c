import type { Session } from '../../tasks/monitor/types.js';

/** Queries running longer than this are marked as long-running. */
export const LONG_QUERY_S = 30;

/** 0.4 s, 41 s, 2:13, 1:02:13: short, and sortable by eye. */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '-';
  const s = Math.max(0, seconds);
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.floor(s)} s`;
  const whole = Math.floor(s);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const sec = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** 12 d, 5 h, 3 min. */
export function formatUptime(seconds: number): string {
  if (seconds >= 86_400) return `${Math.floor(seconds / 86_400)} d`;
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.max(0, Math.floor(seconds / 60))} min`;
}

export function formatInterval(ms: number): string {
  return ms < 1000 ? `${ms / 1000} s` : `${Math.round(ms / 100) / 10} s`;
}

const STATE_SHORT: Record<string, string> = {
  'idle in transaction': 'idle in txn',
  'idle in transaction (aborted)': 'txn aborted',
  'fastpath function call': 'fastpath',
};

export function shortState(state: string | null): string {
  if (state === null) return 'hidden';
  return STATE_SHORT[state] ?? state;
}

/**
 * The row's mark, so meaning survives NO_COLOR: ⚠ idle in transaction (holds locks and snapshots), ! a query
 * running longer than LONG_QUERY_S, ⧗ waiting on a lock.
 */
export function sessionMark(s: Session): string {
  if (s.state === 'idle in transaction' || s.state === 'idle in transaction (aborted)') return '⚠';
  if (s.blockedBy.length > 0 || s.waitEventType === 'Lock') return '⧗';
  if (s.state === 'active' && (s.queryAge ?? 0) >= LONG_QUERY_S) return '!';
  return ' ';
}

/** The query on one line, led by who blocks it (so truncation never hides that). */
export function queryLine(s: Session): string {
  const query = (s.query ?? '<insufficient privilege>').replace(/\s+/g, ' ').trim();
  return s.blockedBy.length > 0 ? `[blocked by ${s.blockedBy.join(',')}] ${query}` : query;
}

/** The program at the other end ("uwsgi worker 3"), else the application name the client gave. */
export function programLabel(s: Session): string {
  return s.process?.label ?? (s.app ? `(${s.app})` : '-');
}

export function waitLabel(s: Session): string {
  return s.waitEvent ? `${s.waitEventType === 'Lock' ? 'Lock:' : ''}${s.waitEvent}` : '-';
}
