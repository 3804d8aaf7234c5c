import path from 'node:path';
import { instanceForRoot, loadConfig } from '../config.js';
import { defaultBackupDir } from '../paths.js';

/** The backup folder of an instance: `--out` when given, else its configured `backupDir`, else the XDG default. */
export async function backupDirFor(root: string, name: string, out?: string): Promise<string> {
  if (out) return path.resolve(out);
  const entry = instanceForRoot(await loadConfig(), root);
  return path.resolve(entry?.[1].backupDir ?? defaultBackupDir(name));
}
