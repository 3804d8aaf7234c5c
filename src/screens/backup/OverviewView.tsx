import { Box, Text } from 'ink';
import { SYMBOL, tone, truncate } from '../../components/theme.js';
import type { BackupOverview } from '../../tasks/backup/overview.js';
import { overviewRows } from './overview-lines.js';

const LABEL = 12;

/** The schedule, its policy, the last runs, the retention plan, encryption and copies: one row each, truncated. */
export function OverviewView({ overview, error, width, height }: { overview?: BackupOverview; error?: string; width: number; height: number }) {
  if (height <= 0) return null;
  if (error) return <Text color={tone('fail')} wrap="truncate">{`${SYMBOL.fail} ${truncate(`cannot read the schedule and runs: ${error}`, width - 2)}`}</Text>;
  if (!overview) return <Text dimColor>reading the schedule and the last runs …</Text>;
  const room = Math.max(10, width - LABEL - 2);
  return (
    <Box flexDirection="column" width={width}>
      {overviewRows(overview, height, room - 2).map((row, i) => (
        <Box key={i}>
          <Text bold>{row.label.padEnd(LABEL)}</Text>
          {row.tone && <Text color={tone(row.tone)}>{`${SYMBOL[row.tone]} `}</Text>}
          <Text wrap="truncate">{truncate(row.text, row.tone ? room - 2 : room)}</Text>
        </Box>
      ))}
    </Box>
  );
}
