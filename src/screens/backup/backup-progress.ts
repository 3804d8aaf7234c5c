import type { BackupEvent } from '../../tasks/backup/backup.js';
import type { BackupManifest } from '../../tasks/backup/manifest.js';
import { formatBytes } from '../../tasks/bytes.js';
import { type ProgressFigures } from '../../tasks/backup/progress.js';

/** What the Backup screen knows of a running dump, folded from the task's events (pure, so tests can trust it). */
export interface BackupProgress {
  phase: 'idle' | 'starting' | 'dumping' | 'verifying' | 'done';
  file?: string;
  estimateBytes?: number;
  excluded: string[];
  figures?: ProgressFigures;
  table: string | null;
  manifest?: BackupManifest;
  pruned: string[];
  warnings: string[];
}

export const idleProgress = (): BackupProgress => ({ phase: 'idle', excluded: [], table: null, pruned: [], warnings: [] });

export type ProgressAction = { type: 'reset' } | { type: 'event'; event: BackupEvent };

export function progressReducer(state: BackupProgress, action: ProgressAction): BackupProgress {
  if (action.type === 'reset') return { ...idleProgress(), phase: 'starting' };
  const event = action.event;
  switch (event.type) {
    case 'started':
      return { ...state, phase: 'dumping', file: event.file, estimateBytes: event.estimateBytes, excluded: event.excludedTableData };
    case 'progress': {
      const { table, ...figures } = event;
      return { ...state, figures, table: table ?? state.table };
    }
    case 'verifying':
      return { ...state, phase: 'verifying' };
    case 'done':
      return { ...state, phase: 'done', file: event.path, manifest: event.manifest };
    case 'pruned':
      return { ...state, pruned: event.removed };
    case 'warning':
      return { ...state, warnings: [...state.warnings, event.message] };
  }
}

/** m:ss, or h:mm:ss past an hour. */
export function duration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * `259.0 MB of ~412.0 MB · 88.0 MB/s · 0:03 elapsed · ~0:02 left`. The estimate is pg_database_size, mostly more
 * than the dump will be, so the time left is an upper bound and says so with ~; past it, 'finishing'.
 */
export function figuresLine(f: ProgressFigures): string {
  const parts = [f.estimateBytes ? `${formatBytes(f.bytes)} of ~${formatBytes(f.estimateBytes)}` : formatBytes(f.bytes)];
  if (f.rate > 0) parts.push(`${formatBytes(f.rate)}/s`);
  parts.push(`${duration(f.elapsedMs)} elapsed`);
  if (f.estimateBytes && f.rate > 0) {
    parts.push(f.bytes < f.estimateBytes ? `~${duration(((f.estimateBytes - f.bytes) / f.rate) * 1000)} left` : 'finishing');
  }
  return parts.join(' · ');
}

/** The sketch's treenode_edge note, when its rows were left out. */
export function edgeNote(excluded: readonly string[]): string | null {
  return excluded.includes('treenode_edge') ? 'treenode_edge: definition kept, data left out (rebuilt after a restore)' : null;
}

/** The result panel: where, how big, the checksum, verified, the versions it was made under. */
export function manifestRows(path: string, m: BackupManifest): [string, string][] {
  const seconds = (new Date(m.finishedAt).getTime() - new Date(m.startedAt).getTime()) / 1000;
  return [
    ['file', path],
    ['size', `${formatBytes(m.sizeBytes)} in ${seconds.toFixed(1)} s (${m.format}${m.jobs > 1 ? `, ${m.jobs} jobs` : ''})`],
    ['sha256', m.sha256],
    ['verified', m.verified ? '✓ yes' : '✗ no'],
    ['version', `${m.describe ?? m.shortCommit ?? 'unknown'}${m.commit ? ` (commit ${m.commit.slice(0, 12)})` : ''}`],
    ['postgres', `server ${m.serverVersion} · pg_dump ${m.pgDumpVersion}`],
    ['left out', m.excludedTableData.length ? `rows of ${m.excludedTableData.join(', ')}` : 'nothing (edge table included)'],
  ];
}
