import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { truncate } from './theme.js';

/** A bordered box with its title set in the top border, as in the screen sketches: ┌ Title ─────┐ */
export function Panel({
  title,
  width,
  height,
  children,
}: {
  title: string;
  width: number;
  height?: number;
  children: ReactNode;
}) {
  const label = truncate(title, Math.max(0, width - 6));
  const top = `┌ ${label} ${'─'.repeat(Math.max(0, width - label.length - 4))}┐`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text>{top}</Text>
      <Box
        borderStyle="single"
        borderTop={false}
        flexDirection="column"
        paddingX={1}
        width={width}
        flexGrow={1}
        overflow="hidden"
      >
        {children}
      </Box>
    </Box>
  );
}
