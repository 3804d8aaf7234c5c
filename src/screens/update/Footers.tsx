import { Box, Text } from 'ink';
import { Badge } from '../../components/Badge.js';
import { Spinner } from '../../components/Spinner.js';
import { truncate } from '../../components/theme.js';
import type { TaskState } from '../../hooks/task-state.js';
import type { RollbackResult } from '../../tasks/update/rollback.js';
import type { UpdateSummary } from '../../tasks/update/run.js';
import { FailureLines } from './RunView.js';

/** Under the pre-flight: why the update cannot start yet, or that it can; and what a PostGIS fix did. */
export function ReviewStatus({ refused, upToDate, read, target, postgis }: { refused: string[]; upToDate: boolean; read: boolean; target: string; postgis: TaskState<string[]> }) {
  return (
    <Box flexDirection="column">
      {postgis.status === 'running' && <Spinner label="ALTER EXTENSION postgis UPDATE …" startedAt={postgis.startedAt} />}
      {postgis.status === 'failed' && <Badge kind="fail">{`PostGIS not updated: ${postgis.error ?? ''}`}</Badge>}
      {postgis.status === 'done' && postgis.result?.map((line, i) => <Badge key={i} kind="ok">{line}</Badge>)}
      {upToDate ? <Badge kind="ok">{`already at ${target}: nothing to do`}</Badge>
        : refused.length > 0 ? <Badge kind="fail">{`refused: ${refused.join('; ')} — fix it, then c to check again`}</Badge>
        : !read ? <Badge kind="warn">read the release notes to their end and acknowledge them (r) before updating</Badge>
        : <Badge kind="info">ready: u or ⏎ starts the update (asks first)</Badge>}
    </Box>
  );
}

/** Under the steps: the outcome of the update or the rollback, or the choice after a failed step. */
export function RunFooter({ rollback, run, failed, left, tail, root, width }: {
  rollback: TaskState<RollbackResult> | null;
  run: TaskState<UpdateSummary>;
  failed: boolean;
  left: boolean;
  tail: string[] | undefined;
  root: string;
  width: number;
}) {
  if (rollback) {
    if (rollback.status === 'running') return <Spinner label={`rolling back: ${rollback.lines.at(-1) ?? ''}`} startedAt={rollback.startedAt} />;
    if (rollback.status === 'done') {
      return <Box flexDirection="column"><Badge kind="ok">rolled back</Badge>{rollback.result?.said.map((s, i) => <Text key={i} wrap="truncate">{`  ${s}`}</Text>)}</Box>;
    }
    return <Badge kind="fail">{truncate(`rollback failed: ${rollback.error ?? ''}`, width)}</Badge>;
  }
  const summary = run.result;
  if (run.status === 'done' && summary) {
    return (
      <Box flexDirection="column">
        <Badge kind="ok">{`Updated ${summary.from} → ${summary.to}; ${summary.migrations.length} migration(s) applied`}</Badge>
        <Text wrap="truncate">{`  backup from before: ${truncate(summary.backup ?? 'none', width - 22, 'start')}`}</Text>
        {summary.restart.length === 0
          ? <Text wrap="truncate">  the services run again and answered the health checks</Text>
          : <Text wrap="truncate">{`  now restart: ${summary.restart[0]}`}</Text>}
        {summary.restart.slice(1).map((h, i) => <Text key={i} dimColor wrap="truncate">{`  ${h}`}</Text>)}
      </Box>
    );
  }
  if (!failed) return null;
  return (
    <Box flexDirection="column">
      <Badge kind="fail">{truncate(run.error ?? 'stopped', width)}</Badge>
      {tail && <FailureLines tail={tail} width={width} />}
      <Text wrap="truncate">{left ? `left as is · roll back later: catmaid-tui -C ${root} update --rollback` : 'r retry · l log · b roll back (restore commit + backup) · x leave as is'}</Text>
    </Box>
  );
}
