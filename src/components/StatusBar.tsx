import { Box, Text } from 'ink';
import { hintLine, type KeyBinding } from '../hooks/keymap.js';
import { truncate } from './theme.js';

export const CRUMB_SEPARATOR = ' › ';

/** Breadcrumbs on the left, the keys that work here on the right; the keys give way first when narrow. */
export function StatusBar({
  crumbs,
  keys,
  width,
  note,
}: {
  crumbs: string[];
  keys: readonly KeyBinding[];
  width: number;
  /** A word about the state that changes what the keys do, e.g. 'busy'. */
  note?: string;
}) {
  const left = truncate(` ${crumbs.join(CRUMB_SEPARATOR)}${note ? `  (${note})` : ''}`, width);
  const right = truncate(`${hintLine(keys)} `, Math.max(0, width - left.length - 2), 'start');
  return (
    <Box width={width} justifyContent="space-between">
      <Text bold>{left}</Text>
      <Text dimColor>{right}</Text>
    </Box>
  );
}
