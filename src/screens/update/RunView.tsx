import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { Badge } from '../../components/Badge.js';
import { LogPane } from '../../components/LogPane.js';
import { Panel } from '../../components/Panel.js';
import { Spinner } from '../../components/Spinner.js';
import { tone, truncate } from '../../components/theme.js';
import type { StepRow, StepsState } from './steps-state.js';

const TITLE_WIDTH = 40;

function Row({ row, width }: { row: StepRow; width: number }) {
  const title = truncate(row.title, TITLE_WIDTH - 2).padEnd(TITLE_WIDTH - 2);
  const seconds = row.seconds === undefined ? '' : `${row.seconds.toFixed(1)} s`;
  const last = truncate(row.last ?? '', Math.max(0, width - TITLE_WIDTH - 12));
  if (row.state === 'running') {
    return (
      <Box width={width}>
        <Box width={TITLE_WIDTH + 9} flexShrink={0}>
          <Spinner label={title} startedAt={row.startedAt} />
        </Box>
        <Text dimColor wrap="truncate">{last}</Text>
      </Box>
    );
  }
  const mark = row.state === 'done' ? 'ok' : row.state === 'failed' ? 'fail' : row.state === 'skipped' ? 'warn' : 'idle';
  return (
    <Box width={width}>
      <Box width={TITLE_WIDTH + 9} flexShrink={0}>
        <Badge kind={mark}>{`${title} ${seconds.padStart(7)}`}</Badge>
      </Box>
      <Text dimColor wrap="truncate">{row.state === 'failed' || row.state === 'skipped' ? last : ''}</Text>
    </Box>
  );
}

export interface RunViewProps {
  steps: StepsState;
  lines: readonly string[];
  logFile?: string;
  /** l: the log takes the room of the steps. */
  fullLog: boolean;
  /** What is said under the steps: the failure's last lines, the summary, the rollback. */
  footer: ReactNode;
  footerHeight: number;
  width: number;
  height: number;
}

/** The steps with their state, time and last line, the output pane, and the log file's path. */
export function RunView({ steps, lines, logFile, fullLog, footer, footerHeight, width, height }: RunViewProps) {
  const rows = steps.rows;
  const stepsHeight = fullLog ? 0 : rows.length + 2;
  const logHeight = Math.max(3, height - stepsHeight - footerHeight);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {!fullLog && (
        <Panel title="Steps" width={width} height={stepsHeight}>
          {rows.map((row, i) => (
            <Row key={i} row={row} width={width - 4} />
          ))}
        </Panel>
      )}
      <LogPane lines={lines} logFile={logFile} width={width} height={logHeight} title={fullLog ? 'Log (l: back to the steps)' : 'Output'} />
      <Box flexDirection="column" height={footerHeight}>
        {footer}
      </Box>
    </Box>
  );
}

export function FailureLines({ tail, width }: { tail: readonly string[]; width: number }) {
  return (
    <Box flexDirection="column">
      {tail.slice(-3).map((line, i) => (
        <Text key={i} color={tone('fail')} wrap="truncate">{`  | ${truncate(line, width - 6)}`}</Text>
      ))}
    </Box>
  );
}
