import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { Badge } from '../../components/Badge.js';
import { LogPane } from '../../components/LogPane.js';
import { Panel } from '../../components/Panel.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import { Spinner } from '../../components/Spinner.js';
import { truncate } from '../../components/theme.js';
import { edgeNote, figuresLine, manifestRows, type BackupProgress } from './backup-progress.js';

export interface BackupRunViewProps {
  progress: BackupProgress;
  lines: readonly string[];
  logFile?: string;
  startedAt?: number;
  /** The confirmation or the outcome, under the output. */
  footer: ReactNode;
  footerHeight: number;
  width: number;
  height: number;
}

/** The sketch's 'Backup in progress': bar with bytes of ~estimate, rate, elapsed, time left, table, the edge note. */
export function BackupRunView({ progress, lines, logFile, startedAt, footer, footerHeight, width, height }: BackupRunViewProps) {
  const f = progress.figures;
  const label = f ? figuresLine(f) : '';
  const barWidth = Math.max(10, Math.min(40, width - label.length - 8));
  const note = edgeNote(progress.excluded);
  const topHeight = 4;
  const done = progress.phase === 'done' && progress.manifest && progress.file;
  const resultHeight = done ? manifestRows('', progress.manifest!).length + (progress.pruned.length ? 1 : 0) + 2 : 0;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box flexDirection="column" height={topHeight}>
        {progress.phase === 'starting' && <Spinner label="connecting, checking the folder …" startedAt={startedAt} />}
        {progress.phase === 'dumping' && <ProgressBar fraction={f?.fraction ?? 0} width={barWidth} label={label} />}
        {progress.phase === 'dumping' && <Text wrap="truncate">{progress.table ? `dumping table ${progress.table}` : 'dumping the schema …'}</Text>}
        {progress.phase === 'verifying' && <Spinner label={`verifying the dump (${label})`} startedAt={startedAt} />}
        {progress.phase === 'done' && <Badge kind="ok">{`verified${f ? ` · ${figuresLine({ ...f, estimateBytes: null })}` : ''}`}</Badge>}
        {note && <Text dimColor wrap="truncate">{note}</Text>}
      </Box>
      {done ? (
        <Panel title="Backup ✓ verified · manifest" width={width} height={resultHeight}>
          {manifestRows(progress.file!, progress.manifest!).map(([key, value]) => (
            <Text key={key} wrap="truncate">{`${key.padEnd(9)} ${truncate(value, width - 14, 'start')}`}</Text>
          ))}
          {progress.pruned.length > 0 && <Text wrap="truncate">{`--keep   removed ${progress.pruned.length}: ${progress.pruned.join(', ')}`}</Text>}
        </Panel>
      ) : (
        <LogPane lines={lines} width={width} height={Math.max(3, height - topHeight - footerHeight - 1)} />
      )}
      <Box flexDirection="column" height={footerHeight}>
        {footer}
      </Box>
      {logFile && <Text dimColor wrap="truncate">{truncate(`log: ${logFile}`, width, 'start')}</Text>}
    </Box>
  );
}
