import { truncate } from './theme.js';

export interface Column<Row> {
  header: string;
  /** Fixed width; a column without one shares the room left over with the other flexible ones. */
  width?: number;
  align?: 'left' | 'right';
  value: (row: Row) => string;
}

/** Widths that fill `total` cells (one space between columns); flexible columns get at least 4 cells. */
export function columnWidths<Row>(columns: readonly Column<Row>[], total: number): number[] {
  const gaps = Math.max(0, columns.length - 1);
  const fixed = columns.reduce((sum, c) => sum + (c.width ?? 0), 0);
  const flexible = columns.filter((c) => c.width === undefined).length;
  const share = flexible > 0 ? Math.max(4, Math.floor((total - gaps - fixed) / flexible)) : 0;
  return columns.map((c) => c.width ?? share);
}

function cell(text: string, width: number, align: 'left' | 'right'): string {
  const cut = truncate(text.replace(/\s+/g, ' '), width);
  return align === 'right' ? cut.padStart(width) : cut.padEnd(width);
}

/** The header line and one line per row, each cell cut with … to its column. */
export function layoutTable<Row>(
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  total: number,
): { header: string; lines: string[] } {
  const widths = columnWidths(columns, total);
  const line = (texts: string[]): string =>
    texts
      .map((text, i) => cell(text, widths[i], columns[i].align ?? 'left'))
      .join(' ')
      .trimEnd();
  return {
    header: line(columns.map((c) => c.header)),
    lines: rows.map((row) => line(columns.map((c) => c.value(row)))),
  };
}
