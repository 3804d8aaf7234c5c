import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { UsageError } from '../errors.js';
import { keepCopy } from '../file-copies.js';
import { ensurePrivateDir, instanceSlug } from '../instance/identity.js';
import { configHome } from '../paths.js';
import { recipientArgs } from './age.js';

/**
 * The scheduled backup's age recipients live in catmaid-tui's config folder, one file per instance, in age's own
 * recipients-file format (one public key a line, # comments): the crontab line names the file, the admin may edit
 * it, and a key added later is used by the next night's backup.
 */
export const recipientsFile = (root: string): string => path.join(configHome(), 'catmaid-tui', 'recipients', `${instanceSlug(root)}.txt`);

/**
 * What the scheduled run encrypts to, from `--encrypt-to` values: public keys go into the instance's recipients
 * file (written on install), or one recipients file of the admin's own is named as it is. Mixing both is refused:
 * the line names one file.
 */
export function scheduleRecipients(values: readonly string[], ownFile: string): { file: string; keys: string[] } | null {
  if (values.length === 0) return null;
  const args = recipientArgs(values);
  const files = values.filter((_, i) => args[i * 2] === '-R');
  if (files.length === 0) return { file: ownFile, keys: values.map((v) => v.trim()) };
  if (values.length === 1) return { file: args[1], keys: [] };
  throw new UsageError('--encrypt-to: give public keys (kept in catmaid-tui\'s recipients file) or one recipients file, not both', 'e.g. --encrypt-to age1… --encrypt-to ssh-ed25519 … or --encrypt-to /etc/catmaid/backup-recipients.txt');
}

/** The public keys in a recipients file (none when it is missing). */
export function readRecipients(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

export interface RecipientsChange {
  file: string;
  changed: boolean;
  /** Where the file as it was is kept. */
  copy?: string;
}

/** Write the instance's recipients file (keys only, each checked), atomically, keeping a copy of the old one. */
export async function writeRecipients(root: string, recipients: readonly string[]): Promise<RecipientsChange> {
  for (const recipient of recipients) {
    if (recipientArgs([recipient])[0] !== '-r') throw new UsageError(`--encrypt-to ${recipient}: the schedule keeps public keys (age1…, ssh-…), not files`);
  }
  const file = recipientsFile(root);
  const content = `# age recipients of the scheduled backup of ${root} (written by catmaid-tui; one public key a line)\n${recipients.map((r) => `${r.trim()}\n`).join('')}`;
  ensurePrivateDir(path.dirname(file));
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  if (before === content) return { file, changed: false };
  const copy = before === null ? undefined : await keepCopy(file, root);
  await writeFileAtomic(file, content, { mode: 0o600 });
  return { file, changed: true, ...(copy ? { copy } : {}) };
}
