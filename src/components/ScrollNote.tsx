import { Text } from 'ink';
import { scrollNote, type ScrollWindow } from './menu-state.js';

/** The line under a list that does not fit: how many rows are above and below what is shown. */
export function ScrollNote({ window }: { window: ScrollWindow }) {
  const note = scrollNote(window);
  return note ? <Text dimColor wrap="truncate">{note}</Text> : null;
}
