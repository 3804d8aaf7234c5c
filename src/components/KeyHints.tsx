import { Text } from 'ink';
import { hintLine, type KeyBinding } from '../hooks/keymap.js';

/** The keys that work here, in their short form: '↑↓ move · ⏎ open · ? help · q quit'. */
export function KeyHints({ keys }: { keys: readonly KeyBinding[] }) {
  return <Text dimColor>{hintLine(keys)}</Text>;
}
