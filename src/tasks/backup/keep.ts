import { kindOf, type BackupKind } from './manifest.js';
import { manifestPath } from './naming.js';
import type { BackupEntry } from './list.js';
import type { BackupFolder } from './folder.js';
import { globalsName } from './globals.js';
import { pinOf, type BackupPin } from './pins.js';

/** The instance and database whose backups a `--keep` may prune (instanceKey, databaseKey). */
export interface BackupOwner {
  instanceKey: string;
  databaseKey: string;
}

/** Whether a backup's manifest names this very instance and database; version 1 manifests name no instance. */
export function ownedBy(entry: BackupEntry, owner: BackupOwner): boolean {
  const m = entry.manifest;
  return m?.instance?.key === owner.instanceKey && m.databaseKey === owner.databaseKey;
}

/**
 * The backups `--keep N` removes: of this instance's and database's verified backups, those beyond the newest N
 * of their kind (the admin's own, safety backups, pre-update backups are counted apart). Never: a pinned backup
 * (an update journal, a restore or a safety step depends on it), `protect` (the backup just made), unverified or
 * hand-made dumps, anything whose manifest names another instance or database, or none.
 */
export function backupsToPrune(
  entries: readonly BackupEntry[],
  owner: BackupOwner,
  keep: number,
  protect: string,
  pins: readonly BackupPin[] = [],
): BackupEntry[] {
  if (!Number.isInteger(keep) || keep < 1) return [];
  const byKind = new Map<BackupKind, BackupEntry[]>();
  for (const entry of entries) {
    if (entry.state !== 'verified' || !ownedBy(entry, owner)) continue;
    const kind = kindOf(entry.manifest!);
    byKind.set(kind, [...(byKind.get(kind) ?? []), entry]);
  }
  const newestFirst = (a: BackupEntry, b: BackupEntry) => b.createdAt.getTime() - a.createdAt.getTime() || b.name.localeCompare(a.name);
  return [...byKind.values()]
    .flatMap((list) => list.sort(newestFirst).slice(keep))
    .filter((e) => e.path !== protect && !pinOf(pins, e.path));
}

/** Delete the dumps with their manifests, through the opened folder; returns the paths removed. */
export async function pruneBackups(victims: readonly BackupEntry[], folder: BackupFolder): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of victims) {
    await folder.remove(entry.name);
    await folder.remove(manifestPath(entry.name));
    await folder.remove(globalsName(entry.name));
    removed.push(entry.path);
  }
  return removed;
}
