import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { Badge } from '../../components/Badge.js';
import { LogPane } from '../../components/LogPane.js';
import { Panel } from '../../components/Panel.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import { Spinner } from '../../components/Spinner.js';
import { truncate } from '../../components/theme.js';
import { figuresLine } from './backup-progress.js';
import type { RestoreRow, RestoreSteps } from './restore-steps.js';

const TITLE = 40;
const MARK = { done: 'ok', failed: 'fail', skipped: 'idle', pending: 'idle' } as const;

function Row({ row, width }: { row: RestoreRow; width: number }) {
  const title = row.title.padEnd(TITLE);
  // The restore step's detail is its duration, already in the seconds column.
  const said = row.detail && /^\d+(\.\d+)? s$/.test(row.detail) ? undefined : row.detail;
  const seconds = row.seconds === undefined ? ''.padStart(8) : `${row.seconds.toFixed(1)} s`.padStart(8);
  // Paths keep their end; a failure keeps its beginning (the reason), the footer has the rest.
  const detail = truncate(row.state === 'skipped' ? `skipped: ${said ?? ''}` : (said ?? ''), Math.max(0, width - TITLE - 13), row.state === 'failed' ? 'end' : 'start');
  if (row.state === 'running') {
    return (
      <Box width={width}>
        <Box width={TITLE + 12} flexShrink={0}>
          <Spinner label={title} startedAt={row.startedAt} />
        </Box>
        <Text dimColor wrap="truncate">{detail}</Text>
      </Box>
    );
  }
  return (
    <Box width={width}>
      <Box width={TITLE + 12} flexShrink={0}>
        <Badge kind={MARK[row.state]}>{`${title}${seconds}`}</Badge>
      </Box>
      <Text wrap="truncate">{row.state === 'pending' ? '' : detail}</Text>
    </Box>
  );
}

export interface RestoreRunViewProps {
  steps: RestoreSteps;
  lines: readonly string[];
  logFile?: string;
  footer: ReactNode;
  footerHeight: number;
  width: number;
  height: number;
}

/** Each step with ✓/✗/· and its detail, the running step's progress, warnings, the output and the log file. */
export function RestoreRunView({ steps, lines, logFile, footer, footerHeight, width, height }: RestoreRunViewProps) {
  const f = steps.figures;
  const label = f ? `${figuresLine(f)}${f.table ? ` · ${f.table}` : ''}` : '';
  const stepsHeight = steps.rows.length + 2;
  const progressHeight = 1;
  const warnings = steps.warnings.slice(-2);
  const logHeight = Math.max(3, height - stepsHeight - progressHeight - warnings.length - footerHeight - (logFile ? 1 : 0));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Panel title="Steps" width={width} height={stepsHeight}>
        {steps.rows.map((row) => (
          <Row key={row.step} row={row} width={width - 4} />
        ))}
      </Panel>
      <Box height={progressHeight}>
        {f && f.fraction !== null ? <ProgressBar fraction={f.fraction} width={Math.max(10, Math.min(30, width - label.length - 8))} label={label} /> : <Text dimColor wrap="truncate">{label}</Text>}
      </Box>
      {warnings.map((w, i) => (
        <Badge key={i} kind="warn">{truncate(w, width - 2)}</Badge>
      ))}
      <LogPane lines={lines} width={width} height={logHeight} />
      <Box flexDirection="column" height={footerHeight}>
        {footer}
      </Box>
      {logFile && <Text dimColor wrap="truncate">{truncate(`log: ${logFile}`, width, 'start')}</Text>}
    </Box>
  );
}
