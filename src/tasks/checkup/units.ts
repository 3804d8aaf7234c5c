import type { PgSetting } from './types.js';

/** PostgreSQL memory units in kB (its own spelling: kB, MB, GB, TB; 8kB pages for shared_buffers and friends). */
const UNIT_KB: Record<string, number> = { kB: 1, MB: 1024, GB: 1024 ** 2, TB: 1024 ** 3 };

/** kB per one unit of a pg_settings `unit` column value ('8kB', 'kB', 'MB'), or null for non-memory settings. */
export function unitKb(unit: string | null): number | null {
  if (!unit) return null;
  const match = /^(\d+)?(kB|MB|GB|TB)$/.exec(unit);
  if (!match) return null;
  return Number(match[1] ?? 1) * UNIT_KB[match[2]];
}

/** A memory setting's value in kB (`shared_buffers` 16384 × 8kB → 131072), or null. */
export function settingKb(setting: PgSetting | undefined): number | null {
  if (!setting) return null;
  const factor = unitKb(setting.unit);
  const value = Number(setting.setting);
  return factor === null || !Number.isFinite(value) || value < 0 ? null : value * factor;
}

/** A value as written in postgresql.conf ('4GB', '512MB', '20165kB', '128') in kB; null if it is not one. */
export function parseMemoryKb(text: string, defaultUnit = 'kB'): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(kB|MB|GB|TB)?\s*$/.exec(text);
  if (!match) return null;
  const factor = UNIT_KB[match[2] ?? defaultUnit] ?? unitKb(defaultUnit);
  return factor === undefined || factor === null ? null : Math.round(Number(match[1]) * factor);
}

/**
 * kB as PGTune prints it: the largest unit that loses nothing (4194304 → '4GB', 5041 → '5041kB'). Also the form
 * ALTER SYSTEM accepts.
 */
export function formatPgMemory(kb: number): string {
  if (kb % UNIT_KB.GB === 0 && kb > 0) return `${kb / UNIT_KB.GB}GB`;
  if (kb % UNIT_KB.MB === 0 && kb > 0) return `${kb / UNIT_KB.MB}MB`;
  return `${kb}kB`;
}

/** Bytes for people: '15.6 GB', '512 MB'. */

/** --db-ram: '16GB', '16G', '16384MB', '16 GB' → bytes. */
export function parseRamSize(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([KMGT])?i?B?\s*$/i.exec(text);
  if (!match) return null;
  const power = { K: 1, M: 2, G: 3, T: 4 }[(match[2] ?? 'G').toUpperCase() as 'K' | 'M' | 'G' | 'T'];
  const bytes = Math.round(Number(match[1]) * 1024 ** power);
  return bytes > 0 ? bytes : null;
}
