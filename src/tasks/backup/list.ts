import fs from 'node:fs/promises';
import path from 'node:path';
import { readManifest, type BackupManifest } from './manifest.js';
import { isPartialName, parseBackupName, type BackupFormat } from './naming.js';
import type { BackupPin } from './pins.js';
import { sizeOf } from './verify.js';

export type BackupState = 'verified' | 'unverified' | 'no-manifest' | 'bad-manifest' | 'partial';

export interface BackupEntry {
  name: string;
  path: string;
  format: BackupFormat | null;
  database: string | null;
  createdAt: Date;
  sizeBytes: number;
  state: BackupState;
  manifest: BackupManifest | null;
  /** Why the manifest could not be used, when it could not. */
  problem?: string;
  /** What still depends on it (see pins.ts): never pruned while pinned. */
  pin?: BackupPin;
}

const DUMP_RE = /\.(sql|dump|dir)(\.age)?$/;
const FORMAT_OF: Record<string, BackupFormat> = { sql: 'sql', dump: 'custom', dir: 'directory' };

/**
 * What is in a backup folder, newest first: dumps with their manifests, hand-made dumps, and `.partial` leftovers
 * of a backup that was cut off (e.g. the machine went down) so the admin can see and remove them.
 */
export async function listBackups(dir: string, database?: string): Promise<BackupEntry[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const entries: BackupEntry[] = [];
  for (const name of names) {
    if (!DUMP_RE.test(name) && !isPartialName(name)) continue;
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat) continue;
    const parsed = parseBackupName(name.replace(/\.partial$/, ''));
    const base = {
      name,
      path: file,
      format: parsed?.format ?? FORMAT_OF[DUMP_RE.exec(name)?.[1] ?? ''] ?? null,
      database: parsed?.database ?? null,
      createdAt: parsed?.date ?? stat.mtime,
      sizeBytes: await sizeOf(file),
    };
    if (isPartialName(name)) {
      entries.push({ ...base, state: 'partial', manifest: null, problem: 'unfinished dump left by an interrupted backup' });
      continue;
    }
    const reading = await readManifest(file);
    if (reading.state === 'ok') {
      const m = reading.manifest;
      entries.push({
        ...base,
        database: m.database,
        format: m.format,
        createdAt: new Date(m.startedAt),
        state: m.verified ? 'verified' : 'unverified',
        manifest: m,
      });
    } else if (reading.state === 'missing') {
      entries.push({ ...base, state: 'no-manifest', manifest: null });
    } else {
      entries.push({ ...base, state: 'bad-manifest', manifest: null, problem: reading.reason });
    }
  }
  return entries
    .filter((e) => database === undefined || e.database === database)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.name.localeCompare(a.name));
}

/** "3 h", "2 d": an age that fits in a table column. */
export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}
