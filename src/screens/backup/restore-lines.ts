import type { Column } from '../../components/table-layout.js';
import type { Tone } from '../../components/theme.js';
import type { BackupInspection } from '../../tasks/backup/inspect.js';
import type { ListedBackup } from '../../hooks/useRestore.js';
import { formatAge, type BackupState } from '../../tasks/backup/list.js';
import { kindOf } from '../../tasks/backup/manifest.js';
import { formatBytes } from '../../tasks/bytes.js';

/** A backup's state as symbol and word, so the list reads without colour. */
export const STATE_LABEL: Record<BackupState, string> = {
  verified: '✓ verified',
  unverified: '! unverified',
  'no-manifest': '· no manifest',
  'bad-manifest': '✗ bad manifest',
  partial: '✗ unfinished',
};

/** `safety ⚑`, `update ⚑`, `old dir` (the old default folder): who made it, whether it is pinned (never pruned), where it lies. */
export function kindColumn(e: ListedBackup): string {
  const kind = e.oldFolder ? 'old dir' : e.manifest ? kindOf(e.manifest) : '';
  return e.pin ? `${kind} ⚑` : kind;
}

export function backupColumns(now: number): Column<ListedBackup>[] {
  return [
    { header: 'STATE', width: 14, value: (e) => STATE_LABEL[e.state] },
    { header: 'AGE', width: 6, align: 'right', value: (e) => formatAge(now - e.createdAt.getTime()) },
    { header: 'SIZE', width: 9, align: 'right', value: (e) => formatBytes(e.sizeBytes) },
    { header: 'KIND', width: 8, value: kindColumn },
    { header: 'VERSION', width: 21, value: (e) => e.manifest?.describe ?? e.manifest?.shortCommit ?? '' },
    { header: 'FILE', value: (e) => e.name },
  ];
}

/** The entry's own lines in the details: what it was made for, and what pins it. */
export function entryLines(e: ListedBackup | undefined): DetailLine[] {
  if (!e) return [];
  const lines: DetailLine[] = [];
  if (e.manifest && kindOf(e.manifest) !== 'backup') lines.push({ label: 'kind', text: `${kindOf(e.manifest)}${e.manifest.reason ? `: ${e.manifest.reason}` : ''}` });
  if (e.pin) lines.push({ tone: 'info', label: 'pinned', text: `never pruned while pinned (${e.pin.kind}), since ${new Date(e.pin.since).toLocaleString()}` });
  if (e.oldFolder) lines.push({ label: 'folder', text: 'the default folder of earlier versions (listed, never pruned)' });
  return lines;
}

export interface DetailLine {
  tone?: Tone;
  label: string;
  text: string;
}

/** What the dump is and what a restore of it will do, from reading it whole (manifest, sha256, contents). */
export function detailLines(inspection: BackupInspection, database: string): DetailLine[] {
  const m = inspection.manifest;
  const lines: DetailLine[] = [
    { label: 'file', text: inspection.path },
    { label: 'format', text: `${inspection.format} · ${formatBytes(inspection.sizeBytes)}` },
    { label: 'sha256', text: `${inspection.sha256.slice(0, 16)}…${m ? (m.sha256 === inspection.sha256 ? '  ✓ matches the manifest' : '  ✗ differs from the manifest') : ''}` },
  ];
  if (m) {
    lines.push({ label: 'made', text: `${new Date(m.startedAt).toLocaleString()} from ${m.database}@${m.host || 'local socket'}:${m.port}${m.reason ? ` (${m.reason})` : ''}` });
    lines.push({ label: 'versions', text: `${m.describe ?? m.shortCommit ?? 'no git version'} · PostgreSQL ${m.serverVersion} · pg_dump ${m.pgDumpVersion}` });
    if (m.database !== database) lines.push({ tone: 'warn', label: 'database', text: `made from database ${m.database}; it is restored into ${database}` });
  } else {
    lines.push({ tone: 'warn', label: 'manifest', text: 'none (a hand-made dump): its code version and contents are unchecked' });
  }
  lines.push(
    inspection.derivedIncluded
      ? { label: 'derived', text: 'the rows of the edge tables are in the dump' }
      : { label: 'derived', text: 'edge tables left out: rebuilt after the restore (by manage.py, else in SQL)' },
  );
  if (inspection.problems.length === 0) lines.push({ tone: 'ok', label: 'verified', text: 'complete and readable' });
  for (const problem of inspection.problems) lines.push({ tone: 'fail', label: 'problem', text: problem });
  return lines;
}
