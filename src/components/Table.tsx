import { Box, Text } from 'ink';
import { scrollWindow } from './menu-state.js';
import { ScrollNote } from './ScrollNote.js';
import { layoutTable, type Column } from './table-layout.js';

export type { Column } from './table-layout.js';

/**
 * Rows in columns that fit `width`; the selected row is marked with › (not only by colour). Given a `height`
 * (lines, the header's included), a longer list shows a window around the selected row and says how many rows
 * are above and below it.
 */
export function Table<Row>({
  columns,
  rows,
  width,
  height,
  selected,
  rowKey,
}: {
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  width: number;
  height?: number;
  selected?: number;
  rowKey: (row: Row, index: number) => string;
}) {
  const marker = selected === undefined ? 0 : 2;
  const window = scrollWindow(selected ?? 0, rows.length, height === undefined ? rows.length : Math.max(1, height - 1));
  const shown = rows.slice(window.start, window.end);
  const { header, lines } = layoutTable(columns, shown, width - marker);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{`${' '.repeat(marker)}${header}`}</Text>
      {lines.map((line, i) => {
        const on = window.start + i === selected;
        return (
          <Text key={rowKey(shown[i], window.start + i)} inverse={on}>
            {marker ? (on ? '› ' : '  ') : ''}
            {line}
          </Text>
        );
      })}
      <ScrollNote window={window} />
    </Box>
  );
}
