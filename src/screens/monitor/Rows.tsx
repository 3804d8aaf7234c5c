import { Box, Text } from 'ink';

/**
 * A bold header line and rows of ready-made text, the selected one marked with › and inverse. Three text nodes
 * however many rows: the table is redrawn every second, and each ink node costs layout and diffing work. Lines
 * must already fit `width - 2` (layoutTable cuts them): a multi-line text is never cut by ink, only wrapped.
 */
export function Rows({ header, lines, selected, width }: { header: string; lines: readonly string[]; selected: number; width: number }) {
  const mark = (line: string, i: number): string => `${i === selected ? '› ' : '  '}${line}`;
  const before = lines.slice(0, selected).map(mark);
  const after = lines.slice(selected + 1).map((line, i) => mark(line, selected + 1 + i));
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">{`  ${header}`}</Text>
      {before.length > 0 && <Text>{before.join('\n')}</Text>}
      {selected < lines.length && <Text inverse>{mark(lines[selected], selected)}</Text>}
      {after.length > 0 && <Text>{after.join('\n')}</Text>}
    </Box>
  );
}
