import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { scrollWindow } from './menu-state.js';
import { ScrollNote } from './ScrollNote.js';
import { truncate } from './theme.js';

export interface MenuItem {
  key: string;
  label: string;
}

/**
 * A vertical list with the selection marked by › and inverse (both, so it survives NO_COLOR). Each row is one
 * line: the label keeps its width and a status that does not fit is cut with …, never wrapped. A list longer
 * than `height` keeps the selection in view and says how many entries are above and below.
 */
export function Menu<Item extends MenuItem>({
  items,
  selected,
  width,
  height,
  labelWidth,
  renderStatus,
}: {
  items: readonly Item[];
  selected: number;
  width: number;
  height: number;
  /** Pad labels to this width so statuses line up. */
  labelWidth?: number;
  renderStatus?: (item: Item) => ReactNode;
}) {
  const window = scrollWindow(selected, items.length, height);
  const pad = labelWidth ?? Math.max(...items.map((item) => item.label.length), 0) + 2;
  const labelCells = Math.max(3, Math.min(pad + 2, width));
  return (
    <Box flexDirection="column" width={width}>
      {items.slice(window.start, window.end).map((item, offset) => {
        const index = window.start + offset;
        const on = index === selected;
        return (
          <Box key={item.key} width={width} height={1}>
            <Box width={labelCells} flexShrink={0}>
              <Text inverse={on} bold={on} wrap="truncate">
                {on ? '› ' : '  '}
                {truncate(item.label, labelCells - 2).padEnd(labelCells - 2)}
              </Text>
            </Box>
            <Box width={width - labelCells} overflow="hidden">
              {renderStatus?.(item)}
            </Box>
          </Box>
        );
      })}
      <ScrollNote window={window} />
    </Box>
  );
}
