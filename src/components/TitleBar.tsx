import { Box, Text } from 'ink';
import type { DatabaseReport } from '../hooks/shell-context.js';
import type { InstanceInfo } from '../tasks/instance/types.js';
import { Badge } from './Badge.js';
import { truncate } from './theme.js';

const BADGE_WIDTH = '✗ down'.length;

/** 'master @ 3f2a9c1' style git summary, or why git could not be read. */
export function gitSummary(info: InstanceInfo): { version: string; where: string } {
  if ('error' in info.git) return { version: 'version unknown', where: `git: ${info.git.error}` };
  const { describe, shortCommit, branch } = info.git;
  return { version: describe ?? shortCommit, where: `${branch ?? 'detached'} @ ${shortCommit}` };
}

export function databaseLabel(info: InstanceInfo): string {
  const { name, user, host, port } = info.settings.settings.database;
  return `db ${name || user}@${host || 'socket'}:${port}`;
}

/**
 * The title line without the DB badge, fitted to `width`: first the program's name goes, then the root is
 * shortened from its start, and only then is the end cut.
 */
export function titleText(info: InstanceInfo, width: number, badgeWidth = BADGE_WIDTH): string {
  const { version, where } = gitSummary(info);
  const room = width - Math.max(BADGE_WIDTH, badgeWidth);
  const after = ` · ${version} (${where}) · ${databaseLabel(info)} `;
  const root = info.layout.root;
  const full = `catmaid-tui · ${root}${after}`;
  if (full.length <= room) return full;
  if (root.length + after.length <= room) return `${root}${after}`;
  return truncate(`${truncate(root, Math.max(12, room - after.length), 'start')}${after}`, room);
}

/** `database`: what the open screen sees right now (the Monitor's own connection), else the shell's last check. */
export function TitleBar({ info, width, database }: { info: InstanceInfo; width: number; database?: DatabaseReport }) {
  const up = database?.up ?? info.database.reachable;
  const word = database?.text ?? (up ? 'up' : 'down');
  return (
    <Box width={width}>
      <Text bold wrap="truncate">
        {titleText(info, width, word.length + 2)}
      </Text>
      <Badge kind={up ? 'up' : 'down'}>{word}</Badge>
    </Box>
  );
}
