import { databaseKey } from '../instance/identity.js';
import type { DatabaseSettings } from '../instance/types.js';
import { oldDefaultBackupDir } from './backup-dir.js';
import { listBackups, type BackupEntry } from './list.js';
import { pinnedBackups, pinOf } from './pins.js';

export interface BackupFolder {
  folder: string;
  entries: BackupEntry[];
}

export interface InstanceBackups extends BackupFolder {
  /** This database's backups in the folder earlier versions used by default: listed, never pruned. */
  oldFolder: BackupFolder | null;
}

/** The manifest's database as `host:port/name`; version 1 manifests have the three fields without the key. */
const manifestDatabase = (e: BackupEntry): string | null =>
  e.manifest ? (e.manifest.databaseKey ?? databaseKey({ host: e.manifest.host, port: e.manifest.port, name: e.manifest.database })) : null;

/**
 * What `backups` and the Restore screen show for an instance: its folder with each backup's pin (if any), and
 * this database's backups left in the old default folder (which other instances of the same name shared).
 */
export async function instanceBackups(root: string, name: string, folder: string, db: DatabaseSettings): Promise<InstanceBackups> {
  const pins = pinnedBackups(root);
  const withPins = (entries: BackupEntry[]) => entries.map((e) => ({ ...e, ...(pinOf(pins, e.path) ? { pin: pinOf(pins, e.path) } : {}) }));
  const entries = withPins(await listBackups(folder));
  const old = oldDefaultBackupDir(name, folder);
  if (!old) return { folder, entries, oldFolder: null };
  const mine = (await listBackups(old)).filter((e) => manifestDatabase(e) === databaseKey(db));
  return { folder, entries, oldFolder: mine.length ? { folder: old, entries: withPins(mine) } : null };
}
