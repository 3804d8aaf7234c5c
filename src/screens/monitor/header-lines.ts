import wrapAnsi from 'wrap-ansi';
import { formatConnMaxAge } from '../../components/format.js';
import { sparkline } from '../../components/Sparkline.js';
import { SYMBOL, truncate, type Tone } from '../../components/theme.js';
import { formatBytes } from '../../tasks/bytes.js';
import { programLine } from '../../tasks/monitor/program-summary.js';
import type { MonitorState } from '../../tasks/monitor/session.js';
import { formatInterval, formatSeconds, formatUptime } from './format.js';
import { horizonText, replicationText } from './status-text.js';

/**
 * The header as plain lines (text and tone), computed once per refresh: the screen knows its height before
 * drawing, and ink gets a handful of text nodes instead of a tree of boxes.
 */
export interface HeaderLine {
  text: string;
  tone?: Tone;
}

const clock = (ms: number): string => new Date(ms).toTimeString().slice(0, 8);

/** Left and right parts on one line; the right one is cut first. */
function split(left: string, right: string, width: number): string {
  const shownLeft = truncate(left, width);
  const room = width - shownLeft.length - 2;
  if (room < 8) return shownLeft;
  const shownRight = truncate(right, room);
  return `${shownLeft}${' '.repeat(width - shownLeft.length - shownRight.length)}${shownRight}`;
}

function connectionPart(state: MonitorState): string {
  const status = state.status;
  if (!status.connected) {
    const down = status.disconnectedSince ? formatSeconds((state.at - status.disconnectedSince) / 1000) : '?';
    const retry = status.retryAt && status.retryAt > state.at
      ? `reconnecting in ${formatSeconds((status.retryAt - state.at) / 1000)}` : 'reconnecting';
    return `${SYMBOL.down} disconnected ${down} · ${retry}`;
  }
  const rates = [
    state.rates.tps === null ? 'tps –' : `${state.rates.tps.toFixed(state.rates.tps < 10 ? 1 : 0)} tps`,
    state.rates.cacheHit === null ? 'hit –' : `hit ${(state.rates.cacheHit * 100).toFixed(1)}%`,
    state.sizeBytes === null ? null : `db ${formatBytes(state.sizeBytes)}`,
  ].filter(Boolean).join(' · ');
  const counts = state.snapshot?.counts;
  return counts && state.server ? `${SYMBOL.up} ${counts.clusterTotal}/${state.server.maxConnections} conns · ${rates}` : rates;
}

export function headerLines(state: MonitorState, width: number, options: { intervalMs: number; paused: boolean }): HeaderLine[] {
  const server = state.server;
  const status = [server ? `PG ${server.version}` : 'PG ?'];
  if (server && state.status.connected) status.push(`up ${formatUptime(state.at / 1000 - server.startedAt)}`);
  status.push(`refresh ${formatInterval(options.intervalMs)}`);
  if (options.paused) status.push('⏸ paused');
  const lines: HeaderLine[] = [{ text: split(status.join(' · '), connectionPart(state), width), tone: state.status.connected ? undefined : 'down' }];
  const st = state.status;
  if (!st.connected) {
    lines.push({ tone: 'down', text: truncate(`${SYMBOL.down} disconnected since ${st.disconnectedSince ? clock(st.disconnectedSince) : '?'} ` +
      `(${formatSeconds(st.disconnectedSince ? (state.at - st.disconnectedSince) / 1000 : null)}) · ` +
      `${st.retryAt && st.retryAt > state.at ? `retrying in ${formatSeconds((st.retryAt - state.at) / 1000)}` : 'retrying now'} · ` +
      `${st.lastError ?? ''} · the table shows the last sample`, width) });
  }
  const counts = state.snapshot?.counts;
  const byState = counts
    ? [`active ${counts.active}`, `idle ${counts.idle}`, `idle in txn ${counts.idleInTransaction}`,
      `txn aborted ${counts.idleInTransactionAborted}`, `waiting ${counts.waiting}`,
      ...(counts.hidden > 0 ? [`hidden ${counts.hidden}`] : [])].join(' · ')
    : 'no sample yet';
  const workers = state.workers.workers === null ? 'workers none found' : `workers ${state.workers.workers}`;
  lines.push({ text: split(byState, `${workers} · CONN_MAX_AGE ${formatConnMaxAge(state.connMaxAge)}`, width) });
  if (state.programs.length > 0) lines.push({ text: truncate(`programs  ${programLine(state.programs)}`, width) });
  const spark = Math.max(4, Math.floor((width - 48) / 3));
  const h = state.history;
  lines.push({ text: truncate(`conns ${sparkline(h.total, spark).padEnd(spark)} ${String(counts?.total ?? '-').padStart(3)}  ` +
    `${truncate(state.role, 14)} ${sparkline(h.role, spark).padEnd(spark)} ${String(counts?.role ?? '-').padStart(3)}  ` +
    `active ${sparkline(h.active, spark).padEnd(spark)} ${String(counts?.active ?? '-').padStart(3)}`, width) });
  const leak = state.leak;
  const leakTone: Tone = leak.leak ? 'warn' : leak.healthy ? 'ok' : 'idle';
  // A leak's advice is the point of the line: it wraps instead of being cut.
  const leakText = `${SYMBOL[leakTone]} leak watch: ${leak.message}`;
  for (const text of leak.leak ? wrapAnsi(leakText, width, { hard: true }).split('\n') : [truncate(leakText, width)]) {
    lines.push({ text, tone: leakTone });
  }
  const horizon = horizonText(state.horizon);
  if (horizon) lines.push({ text: truncate(`${SYMBOL[state.horizon.warn ? 'warn' : 'idle']} ${horizon}`, width), tone: state.horizon.warn ? 'warn' : undefined });
  const replication = replicationText(state.replication);
  if (replication) lines.push({ text: truncate(replication, width) });
  if (server && !server.readAllStats) {
    lines.push({ tone: 'warn', text: truncate(`${SYMBOL.warn} without pg_read_all_stats, other roles' queries are hidden by PostgreSQL` +
      `${counts && counts.hidden > 0 ? ` (${counts.hidden} sessions)` : ''}`, width) });
  }
  return lines;
}
