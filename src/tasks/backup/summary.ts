import type { BackupEvent } from './backup.js';
import type { BackupEntry } from './list.js';
import { formatAge } from './list.js';
import { kindOf, type BackupManifest } from './manifest.js';
import { formatBytes } from '../bytes.js';
import { type ProgressFigures } from './progress.js';
import { countsLine } from './rebuild-derived.js';
import type { RestoreEvent, RestoreResult } from './restore-types.js';

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** `12.3 MB of ~40.0 MB · 5.1 MB/s · 00:03 · public.treenode`: the one-line progress of the CLI. */
export function progressLine(p: ProgressFigures & { table: string | null }): string {
  const parts = [p.estimateBytes ? `${formatBytes(p.bytes)} of ~${formatBytes(p.estimateBytes)}` : formatBytes(p.bytes)];
  if (p.rate > 0) parts.push(`${formatBytes(p.rate)}/s`);
  parts.push(clock(p.elapsedMs));
  if (p.table) parts.push(p.table);
  return parts.join(' · ');
}

/** What the CLI says about a backup event, or null for events shown only as the progress line. */
export function backupEventLine(event: BackupEvent): string | null {
  switch (event.type) {
    case 'started':
      return `backing up to ${event.file} (${event.format}${event.excludedTableData.length ? `, without rows of ${event.excludedTableData.join(', ')}` : ''})`;
    case 'verifying':
      return 'verifying the dump';
    case 'warning':
      return `warning: ${event.message}`;
    case 'pruned':
      return `retention: removed ${event.removed.join(', ')}`;
    default:
      return null;
  }
}

export function manifestLines(path: string, m: BackupManifest): string[] {
  const seconds = (new Date(m.finishedAt).getTime() - new Date(m.startedAt).getTime()) / 1000;
  return [
    `backup   ${path}`,
    `size     ${formatBytes(m.sizeBytes)} in ${seconds.toFixed(1)} s`,
    `sha256   ${m.sha256}`,
    `version  ${m.describe ?? m.shortCommit ?? 'unknown'} · PostgreSQL ${m.serverVersion} · pg_dump ${m.pgDumpVersion}`,
    `verified ${m.verified ? 'yes' : 'no'}`,
  ];
}

export function restoreEventLine(event: RestoreEvent): string | null {
  if (event.type === 'warning') return `warning: ${event.message}`;
  if (event.type === 'step') {
    const detail = event.detail ? ` (${event.detail})` : '';
    return `${event.step.replace(/-/g, ' ')}: ${event.state}${detail}`;
  }
  return null;
}

/** What a backup is for, beyond the admin's own: `safety: taken before restore of x.sql`, `update: …`. */
export function kindLabel(e: BackupEntry): string {
  const m = e.manifest;
  if (!m) return '';
  const kind = kindOf(m);
  return kind === 'backup' ? 'backup' : `${kind}${m.reason ? `: ${m.reason}` : ''}`;
}

/** `pinned (update): pre-update backup of …`: why retention must keep it. */
export const pinLabel = (e: BackupEntry): string => (e.pin ? `pinned (${e.pin.kind}): ${e.pin.reason}` : '');

/** `2026-11-30`: a day as the admin reads it in a listing, local like the file names. */
const day = (iso: string): string => {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** `restore-tested ✓ 2026-11-30` or `restore test ✗ 2026-11-30`: what proves the backup beyond its checksum. */
export function provenLabel(e: BackupEntry): string {
  const test = e.manifest?.restoreTest;
  if (!test) return '';
  return test.ok ? `restore-tested ✓ ${day(test.at)}` : `restore test ✗ ${day(test.at)}`;
}

export const BACKUP_HEADER = ['STATE', 'AGE', 'SIZE', 'FORMAT', 'DATABASE', 'VERSION', 'FILE', 'PROVEN', 'KIND', 'PINNED'];

/** Rows of `catmaid-tui backups`, newest first; the database as settings.py names it (the file has a safe form). */
export function backupRows(entries: readonly BackupEntry[], now = new Date()): string[][] {
  return entries.map((e) => [
    e.state,
    formatAge(now.getTime() - e.createdAt.getTime()),
    formatBytes(e.sizeBytes),
    `${e.format ?? '?'}${e.manifest?.encryption || e.name.endsWith('.age') ? '+age' : ''}`,
    e.manifest?.database ?? e.database ?? '?',
    e.manifest?.describe ?? e.manifest?.shortCommit ?? '',
    e.name,
    provenLabel(e),
    kindLabel(e),
    pinLabel(e),
  ]);
}

export function table(rows: readonly string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i].length))) ?? [];
  return rows.map((r) => `${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()}\n`).join('');
}

/** What the CLI says after a restore: where from, the safety backup, what was left out, the derived tables. */
export function restoredLines(result: RestoreResult, database: string): string[] {
  const lines = [`restored ${result.inspection.path} into ${database}`];
  for (const done of result.prepared) lines.push(`as the superuser: ${done}`);
  if (result.safetyBackup) lines.push(`safety backup: ${result.safetyBackup}`);
  if (result.leftOut.length) lines.push(`left out (the extension's owner's, already in place): ${result.leftOut.join('; ')}`);
  if (result.derived) lines.push(`derived tables rebuilt (${result.derived.via}): ${countsLine(result.derived.counts)}`);
  return lines;
}
