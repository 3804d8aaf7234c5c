import { Text } from 'ink';
import { SYMBOL, tone, type Tone } from './theme.js';

/** A state as symbol and word ('● up', '✗ down'): readable without colour. */
export function Badge({ kind, children }: { kind: Tone; children?: string }) {
  return (
    <Text color={tone(kind)}>
      {SYMBOL[kind]}
      {children ? ` ${children}` : ''}
    </Text>
  );
}
