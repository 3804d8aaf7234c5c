import type { PgSetting } from './types.js';
import { parseMemoryKb, unitKb } from './units.js';

/** Will PostgreSQL accept `value` for this parameter? Checked against pg_settings' type, range and choices. */
export function validateSetting(row: PgSetting, value: string): { ok: true } | { ok: false; reason: string } {
  const range = (n: number, text: string) => {
    if (row.minVal !== null && n < Number(row.minVal)) return { ok: false as const, reason: `${text} is below the minimum ${row.minVal}${row.unit ?? ''}` };
    if (row.maxVal !== null && n > Number(row.maxVal)) return { ok: false as const, reason: `${text} is above the maximum ${row.maxVal}${row.unit ?? ''}` };
    return { ok: true as const };
  };
  switch (row.vartype) {
    case 'bool':
      return /^(on|off|true|false|yes|no|1|0)$/i.test(value) ? { ok: true } : { ok: false, reason: `${row.name} takes on or off` };
    case 'enum':
      return row.enumvals?.includes(value) ? { ok: true } : { ok: false, reason: `${row.name} takes one of ${(row.enumvals ?? []).join(', ')}` };
    case 'real': {
      const n = Number(value);
      return Number.isFinite(n) ? range(n, value) : { ok: false, reason: `${value} is not a number` };
    }
    case 'integer': {
      const per = unitKb(row.unit);
      if (per === null) {
        const n = Number(value);
        return Number.isInteger(n) ? range(n, value) : { ok: false, reason: `${value} is not a whole number` };
      }
      const kb = parseMemoryKb(value, row.unit?.replace(/^\d+/, '') ?? 'kB');
      if (kb === null) return { ok: false, reason: `${value} is not a memory size (e.g. 4GB, 512MB)` };
      return range(Math.floor(kb / per), value);
    }
    default:
      return { ok: true };
  }
}
