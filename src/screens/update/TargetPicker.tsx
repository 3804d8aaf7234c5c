import { Box, Text } from 'ink';
import { Menu } from '../../components/Menu.js';
import { Panel } from '../../components/Panel.js';
import type { TargetChoice } from '../../tasks/update/git-target.js';

export interface TargetPickerProps {
  choices: readonly TargetChoice[];
  /** The target the pre-flight was read for. */
  current: string;
  selected: number;
  width: number;
  height: number;
}

/** The tracked branch's head and every newer release; ⏎ reads the pre-flight and the notes again for the one picked. */
export function TargetPicker({ choices, current, selected, width, height }: TargetPickerProps) {
  const items = choices.map((c) => ({ key: c.ref, label: c.label, choice: c }));
  return (
    <Panel title="Update to …" width={width} height={Math.min(height, items.length + 4)}>
      <Menu
        items={items}
        selected={selected}
        width={width - 4}
        height={Math.max(1, Math.min(height - 4, items.length))}
        renderStatus={(item) => <Text dimColor wrap="truncate">{item.choice.ref === current ? '✓ shown now' : item.choice.kind === 'branch' ? 'newest commits' : 'release'}</Text>}
      />
      <Box>
        <Text dimColor>⏎ read the pre-flight and the notes for it · esc keep {current}</Text>
      </Box>
    </Panel>
  );
}
