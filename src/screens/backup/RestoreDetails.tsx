import { Box, Text } from 'ink';
import { Badge } from '../../components/Badge.js';
import { Panel } from '../../components/Panel.js';
import { truncate } from '../../components/theme.js';
import type { Inspected, ListedBackup } from '../../hooks/useRestore.js';
import { sessionLine } from '../../tasks/backup/sessions.js';
import { detailLines, entryLines } from './restore-lines.js';

const LABEL = 11;
/** Sessions listed by name; more are counted. */
const SESSION_ROWS = 4;

export interface RestoreDetailsProps {
  inspected: Inspected;
  /** The list's entry: its kind, pin and folder. */
  entry?: ListedBackup;
  /** The backup's commit and the instance's, when they differ. */
  mismatch: { backup: string; current: string } | null;
  allowed: boolean;
  safetyBackup: boolean;
  width: number;
}

/** The dump as read (manifest, checksum, what a restore does), the commit-mismatch choice, the safety backup choice. */
export function RestoreDetails({ inspected, entry, mismatch, allowed, safetyBackup, width }: RestoreDetailsProps) {
  const { inspection, current, sessions } = inspected;
  const database = current.settings.settings.database.name;
  const lines = [...detailLines(inspection, database), ...entryLines(entry)];
  const room = width - LABEL - 6;
  const blocked = inspection.problems.length > 0;
  return (
    <Box flexDirection="column" width={width}>
      <Panel title={`Backup ${inspection.path.split('/').at(-1)}`} width={width} height={lines.length + 2}>
        {lines.map((line, i) => (
          <Box key={i}>
            <Box width={LABEL} flexShrink={0}>
              <Text dimColor>{line.label}</Text>
            </Box>
            {line.tone ? <Badge kind={line.tone}>{truncate(line.text, room - 2, 'start')}</Badge> : <Text wrap="truncate">{truncate(line.text, room, 'start')}</Text>}
          </Box>
        ))}
      </Panel>
      {mismatch && (
        <Box flexDirection="column">
          <Badge kind="warn">{`made at commit ${mismatch.backup.slice(0, 12)}, the instance is at ${mismatch.current.slice(0, 12)}: migrations may not match`}</Badge>
          {allowed ? (
            <Badge kind="ok">you chose to restore it anyway</Badge>
          ) : (
            <Text>{'  '}a: restore anyway (the migrations of both commits match) · esc: back to the list</Text>
          )}
        </Box>
      )}
      {sessions.length === 0 ? (
        <Text>{`no other sessions are connected to ${database}`}</Text>
      ) : (
        <Box flexDirection="column">
          <Badge kind="warn">{`${sessions.length} other session${sessions.length === 1 ? ' is' : 's are'} connected to ${database}; they may hold locks the restore waits for:`}</Badge>
          {sessions.slice(0, SESSION_ROWS).map((s) => (
            <Text key={s.pid} wrap="truncate">{`  ${sessionLine(s)}`}</Text>
          ))}
          {sessions.length > SESSION_ROWS && <Text dimColor>{`  … and ${sessions.length - SESSION_ROWS} more (catmaid-tui monitor shows them all)`}</Text>}
        </Box>
      )}
      <Text>
        {safetyBackup ? '[x] ' : '[ ] '}
        {safetyBackup ? `safety backup of ${database} first, into the backup folder (s: skip it)` : `NO safety backup of ${database} first (s: take one)`}
      </Text>
      {blocked ? (
        <Badge kind="fail">this backup cannot be restored: see the problem above</Badge>
      ) : mismatch && !allowed ? (
        <Badge kind="warn">choose first: a restores despite the commit mismatch</Badge>
      ) : (
        <Badge kind="info">{`r restores it over database ${database} (you type the name to confirm)`}</Badge>
      )}
    </Box>
  );
}
