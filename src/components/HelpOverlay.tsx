import { Box, Text } from 'ink';
import type { KeyBinding } from '../hooks/keymap.js';

function Section({ title, keys }: { title: string; keys: readonly KeyBinding[] }) {
  const labelWidth = Math.max(6, ...keys.map((k) => k.label.length)) + 2;
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text bold>{title}</Text>
      {keys.map((binding) => (
        <Text key={`${binding.action}:${binding.label}`}>
          {'  '}
          {binding.label.padEnd(labelWidth)}
          {binding.help}
        </Text>
      ))}
    </Box>
  );
}

/** Every key of the current screen and of the shell, from the same key maps that handle them. */
export function HelpOverlay({
  screenTitle,
  screenKeys,
  globalKeys,
  width,
  height,
}: {
  screenTitle: string;
  screenKeys: readonly KeyBinding[];
  globalKeys: readonly KeyBinding[];
  width: number;
  height: number;
}) {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={2} width={width} height={height} overflow="hidden">
      <Text bold>Keys · {screenTitle}</Text>
      <Text> </Text>
      {screenKeys.length > 0 && <Section title="On this screen" keys={screenKeys} />}
      <Section title="Everywhere" keys={globalKeys} />
      <Text dimColor>? or Esc closes this help · Ctrl+C quits at any time</Text>
    </Box>
  );
}
