import { Box, Text } from 'ink';
import { useCallback } from 'react';
import { Menu } from '../components/Menu.js';
import type { MenuMove } from '../components/menu-state.js';
import { Panel } from '../components/Panel.js';
import { StatusBar } from '../components/StatusBar.js';
import { globalKeys, listKeys, type KeyBinding } from '../hooks/keymap.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { useSelection } from '../hooks/useSelection.js';
import type { LocatedInstance } from '../tasks/instance/locate.js';

export const pickerKeys: KeyBinding[] = [
  ...listKeys,
  { action: 'pick', keys: ['enter'], label: '⏎', help: 'open this instance', hint: '⏎ open' },
  ...globalKeys.filter((binding) => binding.action === 'quit'),
];

/** Several instances are configured and none was named: choose one before anything is read. */
export function InstancePicker({
  instances,
  onPick,
  onQuit,
  width,
  height,
}: {
  instances: readonly LocatedInstance[];
  onPick: (instance: LocatedInstance) => void;
  onQuit: () => void;
  width: number;
  height: number;
}) {
  const { selected, move, current } = useSelection(instances.length);
  const onAction = useCallback(
    (action: string) => {
      if (action === 'pick') onPick(instances[current()]);
      else if (action === 'quit') onQuit();
      else move(action as MenuMove);
    },
    [instances, current, move, onPick, onQuit],
  );
  useKeymap(pickerKeys, onAction);
  const nameWidth = Math.max(...instances.map((i) => i.name.length)) + 2;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold>catmaid-tui · choose an instance</Text>
      <Box flexGrow={1} flexDirection="column">
        <Panel title={`Configured instances (${instances.length})`} width={width}>
          <Menu
            items={instances.map((instance) => ({ key: instance.name, label: instance.name, root: instance.root }))}
            selected={selected}
            width={width - 4}
            height={Math.max(1, height - 4)}
            labelWidth={nameWidth}
            renderStatus={(item) => <Text dimColor wrap="truncate-start">{item.root}</Text>}
          />
        </Panel>
      </Box>
      <StatusBar crumbs={['Instances']} keys={pickerKeys} width={width} />
    </Box>
  );
}
