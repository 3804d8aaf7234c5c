import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { visibleWindow } from './menu-state.js';
import { truncate } from './theme.js';

export interface MenuItem {
  key: string;
  label: string;
}

/** A vertical list with the selection marked by › and inverse (both, so it survives NO_COLOR). */
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
  const { start, end } = visibleWindow(selected, items.length, height);
  const pad = labelWidth ?? Math.max(...items.map((item) => item.label.length), 0) + 2;
  return (
    <Box flexDirection="column" width={width}>
      {items.slice(start, end).map((item, offset) => {
        const index = start + offset;
        const on = index === selected;
        return (
          <Box key={item.key} width={width}>
            <Text inverse={on} bold={on}>
              {on ? '› ' : '  '}
              {truncate(item.label, Math.max(1, width - 4)).padEnd(Math.min(pad, width - 4))}
            </Text>
            <Box flexShrink={1}>{renderStatus?.(item)}</Box>
          </Box>
        );
      })}
    </Box>
  );
}
