import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { instanceStatePath } from '../instance/identity.js';

/**
 * A pinned backup is one something still depends on: the pre-update backup an update journal would roll back
 * to, a restore in progress, a safety backup taken before a restore, the last restore-tested backup. Retention
 * (`--keep` and its kin) never removes a pinned backup, and `backups` shows it as pinned with the reason.
 * Pins are files in the instance's state folder (one per backup), so they survive a crash of whoever set them.
 */
export interface BackupPin {
  /** Absolute path of the dump (file or directory). */
  path: string;
  /** What depends on it, in words: "pre-update backup of the update started 2026-11-30 14:02". */
  reason: string;
  /** Who set it: `update`, `restore`, `safety`, `restore-test` … */
  kind: string;
  since: string;
}

const pinsDir = (root: string): string => instanceStatePath(root, 'pins');
/** One file per backup and kind: an update's pin and a restore-test's pin on one backup come and go apart. */
const pinFile = (root: string, dump: string, kind: string): string =>
  path.join(pinsDir(root), `${crypto.createHash('sha256').update(`${kind}\0${path.resolve(dump)}`).digest('hex').slice(0, 20)}.json`);

export async function pinBackup(root: string, dump: string, kind: string, reason: string): Promise<BackupPin> {
  const pin: BackupPin = { path: path.resolve(dump), kind, reason, since: new Date().toISOString() };
  await writeFileAtomic(pinFile(root, dump, kind), `${JSON.stringify(pin, null, 2)}\n`, { mode: 0o600 });
  return pin;
}

/** Remove the pin of this kind from a backup (other kinds' pins on it stay). */
export async function unpinBackup(root: string, dump: string, kind: string): Promise<void> {
  await fs.promises.rm(pinFile(root, dump, kind), { force: true });
}

/** Every pin of the instance; unreadable pin files count as pins of nothing (they never unpin anything). */
export function pinnedBackups(root: string): BackupPin[] {
  const dir = pinsDir(root);
  const pins: BackupPin[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    try {
      const data = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as BackupPin;
      if (typeof data.path === 'string') pins.push(data);
    } catch {
      // A half-written pin cannot exist (atomic writes); anything else here is not ours to judge.
    }
  }
  return pins;
}

/** A pin on a dump, if any. */
export function pinOf(pins: readonly BackupPin[], dump: string): BackupPin | undefined {
  const resolved = path.resolve(dump);
  return pins.find((pin) => pin.path === resolved);
}
