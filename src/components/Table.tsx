import { Box, Text } from 'ink';
import { layoutTable, type Column } from './table-layout.js';

export type { Column } from './table-layout.js';

/** Rows in columns that fit `width`; the selected row is marked with › (not only by colour). */
export function Table<Row>({
  columns,
  rows,
  width,
  selected,
  rowKey,
}: {
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  width: number;
  selected?: number;
  rowKey: (row: Row, index: number) => string;
}) {
  const marker = selected === undefined ? 0 : 2;
  const { header, lines } = layoutTable(columns, rows, width - marker);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{`${' '.repeat(marker)}${header}`}</Text>
      {lines.map((line, i) => (
        <Text key={rowKey(rows[i], i)} inverse={i === selected}>
          {marker ? (i === selected ? '› ' : '  ') : ''}
          {line}
        </Text>
      ))}
    </Box>
  );
}
