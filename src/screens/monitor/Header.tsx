import { Box, Text } from 'ink';
import { Badge } from '../../components/Badge.js';
import { formatBytes } from '../../tasks/bytes.js';
import { formatConnMaxAge } from '../../components/format.js';
import { sparkline } from '../../components/Sparkline.js';
import { truncate } from '../../components/theme.js';
import type { MonitorState } from '../../tasks/monitor/session.js';
import { formatInterval, formatSeconds, formatUptime } from './format.js';

function Split({ left, right, width }: { left: string; right: string; width: number }) {
  const shownRight = truncate(right, Math.max(0, width - left.length - 2));
  return (
    <Box width={width} justifyContent="space-between">
      <Text wrap="truncate">{truncate(left, width)}</Text>
      <Text>{shownRight}</Text>
    </Box>
  );
}

const clock = (ms: number): string => new Date(ms).toTimeString().slice(0, 8);

function statusLine(state: MonitorState, intervalMs: number, paused: boolean): string {
  const server = state.server;
  const parts = [server ? `PG ${server.version}` : 'PG ?'];
  if (server) parts.push(`up ${formatUptime(state.at / 1000 - server.startedAt)}`);
  parts.push(`refresh ${formatInterval(intervalMs)}`);
  if (paused) parts.push('⏸ paused');
  return parts.join(' · ');
}

/** The header: server, totals and rates; counts by state; sparklines; leak watch; privilege note. */
export function MonitorHeader({ state, width, intervalMs, paused }: {
  state: MonitorState; width: number; intervalMs: number; paused: boolean;
}) {
  const snap = state.snapshot;
  const counts = snap?.counts;
  const status = state.status;
  const rates = [
    state.rates.tps === null ? 'tps –' : `${state.rates.tps.toFixed(state.rates.tps < 10 ? 1 : 0)} tps`,
    state.rates.cacheHit === null ? 'hit –' : `hit ${(state.rates.cacheHit * 100).toFixed(1)}%`,
    state.sizeBytes === null ? null : `db ${formatBytes(state.sizeBytes)}`,
  ].filter(Boolean).join(' · ');
  const conns = counts && state.server ? `● ${counts.clusterTotal}/${state.server.maxConnections} conns · ${rates}` : rates;
  const byState = counts
    ? [`active ${counts.active}`, `idle ${counts.idle}`, `idle in txn ${counts.idleInTransaction}`,
      `txn aborted ${counts.idleInTransactionAborted}`, `waiting ${counts.waiting}`,
      ...(counts.hidden > 0 ? [`hidden ${counts.hidden}`] : [])].join(' · ')
    : 'no sample yet';
  const workers = state.workers.workers === null ? 'workers none found' : `workers ${state.workers.workers}`;
  const spark = Math.max(4, Math.floor((width - 48) / 3));
  const h = state.history;
  const lines = `conns ${sparkline(h.total, spark).padEnd(spark)} ${String(counts?.total ?? '-').padStart(3)}  ` +
    `${truncate(state.role, 14)} ${sparkline(h.role, spark).padEnd(spark)} ${String(counts?.role ?? '-').padStart(3)}  ` +
    `active ${sparkline(h.active, spark).padEnd(spark)} ${String(counts?.active ?? '-').padStart(3)}`;
  const leak = state.leak;
  return (
    <Box flexDirection="column" width={width}>
      <Split left={statusLine(state, intervalMs, paused)} right={conns} width={width} />
      {!status.connected && (
        <Badge kind="down">
          {truncate(`disconnected since ${status.disconnectedSince ? clock(status.disconnectedSince) : '?'} ` +
            `(${formatSeconds(status.disconnectedSince ? (state.at - status.disconnectedSince) / 1000 : null)}) · ` +
            `retrying${status.retryAt ? ` in ${formatSeconds(Math.max(0, status.retryAt - state.at) / 1000)}` : ''} · ` +
            `${status.lastError ?? ''}`, width - 2)}
        </Badge>
      )}
      <Split left={byState} right={`${workers} · CONN_MAX_AGE ${formatConnMaxAge(state.connMaxAge)}`} width={width} />
      <Text wrap="truncate">{lines}</Text>
      <Box width={width}>
        <Badge kind={leak.leak ? 'warn' : leak.healthy ? 'ok' : 'idle'}>
          {leak.leak ? `leak watch: ${leak.message}` : truncate(`leak watch: ${leak.message}`, width - 2)}
        </Badge>
      </Box>
      {state.server && !state.server.readAllStats && (
        <Badge kind="warn">
          {truncate(`without pg_read_all_stats, other roles' queries are hidden by PostgreSQL` +
            `${counts && counts.hidden > 0 ? ` (${counts.hidden} sessions)` : ''}`, width - 2)}
        </Badge>
      )}
    </Box>
  );
}
