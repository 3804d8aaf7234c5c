import { Box, Text } from 'ink';
import { Panel } from './Panel.js';
import { truncate } from './theme.js';

/** The last lines of a task's output and where the whole log is: nothing a task does is hidden. */
export function LogPane({
  lines,
  logFile,
  width,
  height,
  title = 'Output',
}: {
  lines: readonly string[];
  logFile?: string;
  width: number;
  height: number;
  title?: string;
}) {
  // Two border lines and the log path line are not available for output.
  const room = Math.max(1, height - 2 - (logFile ? 1 : 0));
  const shown = lines.slice(-room);
  const inner = Math.max(1, width - 4);
  return (
    <Panel title={title} width={width} height={height}>
      <Box flexDirection="column" flexGrow={1}>
        {shown.length === 0 ? (
          <Text dimColor>(no output yet)</Text>
        ) : (
          shown.map((line, i) => <Text key={i}>{truncate(line, inner)}</Text>)
        )}
      </Box>
      {logFile && <Text dimColor>{truncate(`log: ${logFile}`, inner, 'start')}</Text>}
    </Panel>
  );
}
