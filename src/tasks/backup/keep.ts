import { manifestPath } from './naming.js';
import type { BackupEntry } from './list.js';
import { removePath } from './folder.js';

/**
 * The backups `--keep N` removes: this database's verified backups beyond the newest N. Unverified dumps,
 * hand-made ones and other databases' are never touched, and neither is `protect` (the backup just made).
 */
export function backupsToPrune(entries: readonly BackupEntry[], database: string, keep: number, protect: string): BackupEntry[] {
  if (!Number.isInteger(keep) || keep < 1) return [];
  const verified = entries
    .filter((e) => e.state === 'verified' && e.manifest?.database === database)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.name.localeCompare(a.name));
  return verified.slice(keep).filter((e) => e.path !== protect);
}

/** Delete the dumps with their manifests; returns the paths removed. */
export async function pruneBackups(victims: readonly BackupEntry[]): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of victims) {
    await removePath(entry.path);
    await removePath(manifestPath(entry.path));
    removed.push(entry.path);
  }
  return removed;
}
