import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { instanceStateDir, instanceStatePath } from '../instance/identity.js';
import type { CertbotSetup } from './certbot.js';
import type { NginxCommand } from './nginx-version.js';

/**
 * What the last `ssl --write` set up for an instance, kept in its state folder: Home and `ssl status` read the
 * certificate from here without `nginx -T` (which needs root to read the keys) and know which certbot renews it.
 */
export interface SslRecord {
  serverName: string;
  /** The https URL of the site (port and subdirectory included). */
  url: string;
  certificate: string;
  siteFile: string;
  nginx: NginxCommand;
  certbot?: CertbotSetup;
  writtenAt: string;
}

const FILE = 'ssl.json';

export async function writeSslRecord(root: string, record: SslRecord): Promise<string> {
  const file = path.join(instanceStatePath(root), FILE);
  await writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** The record, or null when there is none (or it is not readable JSON of the right shape). */
export function readSslRecord(root: string): SslRecord | null {
  try {
    const value = JSON.parse(fs.readFileSync(path.join(instanceStateDir(root), FILE), 'utf8')) as Partial<SslRecord>;
    return typeof value.serverName === 'string' && typeof value.certificate === 'string' && typeof value.url === 'string' ? (value as SslRecord) : null;
  } catch {
    return null;
  }
}
