import { Box, Text } from 'ink';
import { tone } from '../../components/theme.js';
import type { HeaderLine } from './header-lines.js';

/** The header's lines, one text node each (see header-lines.ts for what they say). */
export function MonitorHeader({ lines, width }: { lines: readonly HeaderLine[]; width: number }) {
  return (
    <Box flexDirection="column" width={width}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate" color={line.tone ? tone(line.tone) : undefined}>
          {line.text}
        </Text>
      ))}
    </Box>
  );
}
