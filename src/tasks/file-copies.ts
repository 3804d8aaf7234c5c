import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileStamp } from './atomic-write.js';
import { ensurePrivateDir, instanceStatePath } from './instance/identity.js';
import { stateHome } from './paths.js';
import { safeFileComponent } from './safe-name.js';

/**
 * Keep a copy of a file before catmaid-tui replaces it (settings.py, an nginx site, a crontab). Copies live in
 * catmaid-tui's state folder, in the instance's `copies/` when the file belongs to one, never next to the file:
 * in the CATMAID checkout a copy would show as a local change, and in /etc/nginx/sites-enabled it would be loaded.
 * Each copy gets a name of its own (time, pid, random part), created exclusively and owner-only, so two changes in
 * one second never overwrite each other's copy and a planted symlink is never followed.
 */
export async function keepCopy(file: string, root?: string | null): Promise<string> {
  return keepCopyOf(path.basename(file), await fs.readFile(file), root);
}

/** The same for content that is not a file of its own (a crontab, read with `crontab -l`); `name` names the copy. */
export async function keepCopyOf(name: string, content: string | Uint8Array, root?: string | null): Promise<string> {
  const dir = root ? instanceStatePath(root, 'copies') : ensurePrivateDir(path.join(stateHome(), 'catmaid-tui', 'copies'));
  const target = path.join(dir, `${safeFileComponent(name)}.${fileStamp()}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`);
  const handle = await fs.open(target, 'wx', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return target;
}
