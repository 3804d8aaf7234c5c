import { Box, Text } from 'ink';
import { tone } from '../../components/theme.js';
import { lineTone } from './report-lines.js';

/** Already wrapped lines from `offset`, each coloured by what its first character says, and where we are. */
export function ScrollPane({ lines, offset, width, height }: { lines: readonly string[]; offset: number; width: number; height: number }) {
  const room = Math.max(1, height - 1);
  const shown = lines.slice(offset, offset + room);
  const end = Math.min(lines.length, offset + room);
  const where = lines.length <= room ? `${lines.length} lines` : `lines ${offset + 1}–${end} of ${lines.length}${end < lines.length ? ' · ↓ more' : ''}`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box flexDirection="column" height={room}>
        {shown.map((line, i) => {
          const kind = lineTone(line);
          return (
            <Text key={offset + i} color={kind ? tone(kind) : undefined} wrap="truncate">
              {line || ' '}
            </Text>
          );
        })}
      </Box>
      <Text dimColor>{where}</Text>
    </Box>
  );
}
