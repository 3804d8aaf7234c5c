import { Box, Text } from 'ink';
import { Badge } from '../../components/Badge.js';
import { Spinner } from '../../components/Spinner.js';
import { Table } from '../../components/Table.js';
import { truncate } from '../../components/theme.js';
import type { TaskState } from '../../hooks/task-state.js';
import type { Listing } from '../../hooks/useRestore.js';
import { emptyDerivedLine } from '../../tasks/backup/derived-tables.js';
import { countsLine, type RebuildResult } from '../../tasks/backup/rebuild-derived.js';
import { backupColumns } from './restore-lines.js';

export interface RestoreListViewProps {
  listing: TaskState<Listing>;
  rebuilding: TaskState<RebuildResult>;
  selected: number;
  width: number;
  height: number;
}

/** The derived tables' state above the list: empty (offer e), being rebuilt, rebuilt, or the rebuild's failure. */
function DerivedLine({ listing, rebuilding, width }: Pick<RestoreListViewProps, 'listing' | 'rebuilding' | 'width'>) {
  if (rebuilding.status === 'running') return <Spinner label="rebuilding the derived tables …" startedAt={rebuilding.startedAt} />;
  if (rebuilding.status === 'done' && rebuilding.result) {
    return <Badge kind="ok">{truncate(`derived tables rebuilt (${rebuilding.result.via}): ${countsLine(rebuilding.result.counts)}`, width - 2)}</Badge>;
  }
  if (rebuilding.status === 'failed') return <Badge kind="fail">{truncate(`rebuild failed: ${rebuilding.error}`, width - 2)}</Badge>;
  const empty = listing.result?.emptyDerived ?? [];
  return empty.length ? <Badge kind="fail">{truncate(`e rebuilds them now: ${emptyDerivedLine(empty)}`, width - 2)}</Badge> : null;
}

/** The backups of the instance (and of this database in the old default folder), newest first. */
export function RestoreListView({ listing, rebuilding, selected, width, height }: RestoreListViewProps) {
  const inner = width - 2;
  const dir = listing.result?.dir;
  const entries = listing.result?.entries ?? [];
  const derived = (listing.result?.emptyDerived.length ?? 0) > 0 || rebuilding.status !== 'idle';
  const room = Math.max(2, height - 3 - (derived ? 1 : 0));
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={1}>
      <Text bold wrap="truncate">{`Restore · backups in ${dir ?? '…'}`}</Text>
      <DerivedLine listing={listing} rebuilding={rebuilding} width={inner} />
      {listing.status === 'running' && <Spinner label="reading the backup folder …" startedAt={listing.startedAt} />}
      {listing.status === 'failed' && <Badge kind="fail">{truncate(`cannot read the backup folder: ${listing.error}`, inner - 2)}</Badge>}
      {listing.status === 'done' && entries.length === 0 && <Text>{`No backups in ${dir}. Make one on the Backup screen (or catmaid-tui backup).`}</Text>}
      {entries.length > 0 && <Table columns={backupColumns(Date.now())} rows={entries} width={inner} height={room} selected={selected} rowKey={(e) => e.path} />}
      <Box flexGrow={1} />
      {entries.length > 0 && <Text dimColor wrap="truncate">⚑ pinned: never pruned · ⏎ reads the whole backup (sha256, completeness) first; nothing is changed until you confirm.</Text>}
    </Box>
  );
}
