import { databaseKey, instanceKey } from '../instance/identity.js';
import type { DatabaseSettings } from '../instance/types.js';
import { backupHealth, type BackupHealth, type CheckOptions } from './health.js';
import { listBackups, type BackupEntry } from './list.js';
import { ownedBy, type BackupOwner } from './retention.js';
import { readRuns, type BackupRun } from './runs.js';

export const ownerOf = (root: string, db: DatabaseSettings): BackupOwner => ({ instanceKey: instanceKey(root), databaseKey: databaseKey(db) });

export interface BackupStatus {
  folder: string;
  /** This instance's and database's backups in the folder, newest first. */
  owned: BackupEntry[];
  /** Its backup runs, newest first. */
  runs: BackupRun[];
  health: BackupHealth;
}

/** What `backups --check`, `--prometheus` and the Backup screen judge: the folder, the run records, the check. */
export async function backupStatus(root: string, folder: string, db: DatabaseSettings, options: CheckOptions): Promise<BackupStatus> {
  const owner = ownerOf(root, db);
  const owned = (await listBackups(folder)).filter((e) => ownedBy(e, owner));
  const runs = readRuns(root);
  return { folder, owned, runs, health: backupHealth(owned, runs, options) };
}
