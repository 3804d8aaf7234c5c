import type { Session } from './types.js';

/**
 * Who holds the xmin horizon back: VACUUM cannot remove rows that a snapshot may still see, so one session idle
 * in transaction for hours, a forgotten prepared transaction or an abandoned replication slot lets tables and
 * indexes bloat. The oldest holder is the one to deal with (pgcenter PR #149 asks the same).
 */
export interface Horizon {
  kind: 'session' | 'prepared' | 'slot';
  /** Backend pid, prepared transaction gid, or slot name. */
  id: string;
  /** Transactions the horizon is behind (age of the xmin held). */
  xidAge: number;
  /** How long it has held it, in seconds; null where PostgreSQL does not say (slots before 17). */
  seconds: number | null;
  /** What an admin reads: state and application, owner and database, slot type and activity. */
  detail: string;
}

export interface HorizonVerdict {
  oldest: Horizon | null;
  /** Held for longer than the threshold: vacuum is being held back. */
  warn: boolean;
}

/** Sessions holding a snapshot, as horizon holders (their transaction's age is how long they have held it). */
export function sessionHorizons(sessions: readonly Session[]): Horizon[] {
  return sessions
    .filter((s) => s.xminAge !== null)
    .map((s) => ({
      kind: 'session' as const,
      id: String(s.pid),
      xidAge: s.xminAge!,
      seconds: s.xactAge,
      detail: [s.state ?? 'hidden', s.process?.label ?? (s.app || null), s.user].filter(Boolean).join(' · '),
    }));
}

/** The holder that is furthest behind; a tie goes to the one held longest. */
export function oldestHorizon(holders: readonly Horizon[], warnAfterSeconds: number): HorizonVerdict {
  let oldest: Horizon | null = null;
  for (const h of holders) {
    if (!oldest || h.xidAge > oldest.xidAge || (h.xidAge === oldest.xidAge && (h.seconds ?? 0) > (oldest.seconds ?? 0))) {
      oldest = h;
    }
  }
  if (!oldest) return { oldest: null, warn: false };
  // A slot without a time: an inactive slot holding the horizon is always worth a warning.
  const warn = oldest.seconds === null ? oldest.kind === 'slot' && /inactive/.test(oldest.detail) : oldest.seconds >= warnAfterSeconds;
  return { oldest, warn };
}

/** Prepared transactions and slots as the stats query returns them (json objects). */
export function horizonsOf(prepared: unknown, slot: unknown): Horizon[] {
  const out: Horizon[] = [];
  const p = prepared as Record<string, unknown> | null;
  if (p && p.xid_age !== null && p.xid_age !== undefined) {
    out.push({ kind: 'prepared', id: String(p.gid), xidAge: Number(p.xid_age), seconds: numberOrNull(p.seconds),
      detail: `prepared by ${String(p.owner)} in ${String(p.database)}` });
  }
  const s = slot as Record<string, unknown> | null;
  if (s && s.xid_age !== null && s.xid_age !== undefined) {
    out.push({ kind: 'slot', id: String(s.name), xidAge: Number(s.xid_age), seconds: numberOrNull(s.seconds),
      detail: `${String(s.type)} slot, ${s.active === true ? 'active' : 'inactive'}` });
  }
  return out;
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
