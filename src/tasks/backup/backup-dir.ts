import fs from 'node:fs';
import path from 'node:path';
import { instanceForRoot, loadConfig } from '../config.js';
import { instanceSlug } from '../instance/identity.js';
import { dataHome, defaultBackupDir } from '../paths.js';

/**
 * The default backup folder of an instance: named after its root folder and a hash of its path, so two instances
 * whose folders share a name never share one (they did: `backups/<folder name>`, and one's --keep removed the
 * other's backups).
 */
export function instanceBackupDir(root: string): string {
  return path.join(dataHome(), 'catmaid-tui', 'backups', instanceSlug(root));
}

/** The backup folder of an instance: `--out` when given, else its configured `backupDir`, else its own default. */
export async function backupDirFor(root: string, out?: string): Promise<string> {
  if (out) return path.resolve(out);
  const entry = instanceForRoot(await loadConfig(), root);
  return path.resolve(entry?.[1].backupDir ?? instanceBackupDir(root));
}

/**
 * Where earlier versions put this instance's backups by default (`backups/<instance name>`), when that folder
 * exists and is not the folder in use: its backups are listed, never pruned or deleted.
 */
export function oldDefaultBackupDir(instanceName: string, inUse: string): string | null {
  const old = path.resolve(defaultBackupDir(instanceName));
  return old !== path.resolve(inUse) && fs.existsSync(old) ? old : null;
}
