import { Box, Text } from 'ink';
import { useCallback } from 'react';
import { Badge } from '../components/Badge.js';
import { clock } from '../components/format.js';
import { summaryRows, type SummaryRow } from '../components/instance-summary.js';
import { Menu } from '../components/Menu.js';
import type { MenuMove } from '../components/menu-state.js';
import { Panel } from '../components/Panel.js';
import { truncate } from '../components/theme.js';
import { listKeys, openKey, type KeyBinding } from '../hooks/keymap.js';
import { useShell } from '../hooks/shell-context.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { useSelection } from '../hooks/useSelection.js';
import type { Notice } from '../tasks/instance/notices.js';
import type { InstanceInfo } from '../tasks/instance/types.js';
import type { ScreenDef, ScreenProps } from './registry.js';

export const homeKeys: KeyBinding[] = [...listKeys, openKey];

export interface HomeProps extends ScreenProps {
  /** The screens the menu offers (the registry's list). */
  menu: readonly ScreenDef[];
  /** What needs the admin's attention, most severe first (one line each). */
  notices?: readonly Notice[];
  /** When the live part was last read, and why it could not be, if it could not. */
  checkedAt?: number;
  liveError?: string;
  liveIntervalMs?: number;
}

const LABEL_WIDTH = 11;

function SummaryLine({ row, width }: { row: SummaryRow; width: number }) {
  const room = Math.max(1, width - LABEL_WIDTH - (row.tone ? 2 : 0));
  // Values wrap rather than lose their end (a database error, a version); only a long root is cut, at its start.
  const text = row.label === 'Root' ? truncate(row.text, room, 'start') : row.cut ? truncate(row.text, room) : row.text;
  return (
    <Box width={width}>
      <Box width={LABEL_WIDTH} flexShrink={0}>
        <Text dimColor>{row.label}</Text>
      </Box>
      <Box flexShrink={1}>
        {row.tone ? <Badge kind={row.tone}>{text}</Badge> : <Text>{text}</Text>}
      </Box>
    </Box>
  );
}

/** Notices go first: an unfinished update matters more than the version line. One line each, cut, never wrapped. */
function noticeRows(notices: readonly Notice[]): SummaryRow[] {
  return notices.map((notice) => ({
    label: 'Attention',
    tone: notice.severity === 'info' ? 'info' : notice.severity,
    text: notice.command ? `${notice.text} · ${notice.command}` : notice.text,
    cut: true,
  }));
}

function MenuStatus({ def, info, visible }: {
  def: ScreenDef & Required<Pick<ScreenDef, 'useStatus'>>; info: InstanceInfo; visible: boolean;
}) {
  const status = def.useStatus(info, visible);
  return status ? <Text dimColor wrap="truncate">{status}</Text> : null;
}

/** The instance at a glance (live: database and server), and the menu of every screen that exists. */
export function Home({ info, active, width, height, menu, notices = [], checkedAt, liveError, liveIntervalMs = 5000 }: HomeProps) {
  const shell = useShell();
  const { selected, move, current } = useSelection(menu.length);
  const onAction = useCallback(
    (action: string) => {
      if (action !== 'open') move(action as MenuMove);
      else if (menu[current()]) shell.open(menu[current()].id);
    },
    [menu, move, current, shell],
  );
  useKeymap(homeKeys, onAction, { isActive: active });

  const stacked = width < 90;
  const leftWidth = stacked ? width : Math.floor(width * 0.56);
  const rightWidth = stacked ? width : width - leftWidth;
  const inner = leftWidth - 4;
  const rows = [...noticeRows(notices), ...summaryRows(info)];
  // Stacked, the menu gets what the summary (its rows, the live line, two borders) leaves.
  const menuHeight = Math.max(1, height - 2 - (stacked ? rows.length + 3 : 0));
  const live = liveError
    ? `live check failed: ${liveError}`
    : `live: checked ${clock(checkedAt)}, every ${liveIntervalMs / 1000} s`;
  const byStatus = (item: ScreenDef) =>
    item.useStatus ? <MenuStatus def={item as ScreenDef & Required<Pick<ScreenDef, 'useStatus'>>} info={info} visible={active} /> : null;

  return (
    <Box flexDirection={stacked ? 'column' : 'row'} width={width} height={height}>
      <Panel title="Instance" width={leftWidth}>
        {rows.map((row) => (
          <SummaryLine key={`${row.label}:${row.text}`} row={row} width={inner} />
        ))}
        <Text dimColor>{truncate(live, inner)}</Text>
      </Panel>
      <Panel title="Actions" width={rightWidth}>
        {menu.length === 0 ? (
          <Box flexDirection="column">
            <Text>No actions yet.</Text>
            <Text dimColor>Backup, Update, Monitor and Checkup come with later versions.</Text>
          </Box>
        ) : (
          <Menu
            items={menu.map((def) => ({ ...def, key: def.id, label: def.menuLabel }))}
            selected={selected}
            width={rightWidth - 4}
            height={menuHeight}
            renderStatus={byStatus}
          />
        )}
      </Panel>
    </Box>
  );
}
