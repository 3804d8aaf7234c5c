import { formatBytes } from '../../tasks/bytes.js';
import type { Replication } from '../../tasks/monitor/replication.js';
import type { HorizonVerdict } from '../../tasks/monitor/xmin.js';
import { formatSeconds } from './format.js';

/** The xmin horizon and replication in words, for the screen's header and `monitor --once` (no ink here). */
export function horizonText(verdict: HorizonVerdict): string | null {
  const h = verdict.oldest;
  // Every running query holds a snapshot for a moment: only one held for a while is worth a line.
  if (!h || (!verdict.warn && (h.seconds ?? 0) < 60 && h.xidAge < 1000)) return null;
  const who = h.kind === 'session' ? `pid ${h.id}` : h.kind === 'prepared' ? `prepared transaction ${h.id}` : `slot ${h.id}`;
  const held = h.seconds === null ? '' : ` for ${formatSeconds(h.seconds)}`;
  return `oldest xmin: ${who} (${h.detail})${held}, ${h.xidAge} transactions behind` +
    (verdict.warn ? ' · holds back vacuum: end it or fix the client' : '');
}

export function replicationText(r: Replication): string | null {
  if (r.inRecovery) {
    return `standby of ${r.upstream ?? 'a primary (hidden)'} · replay delay ${formatSeconds(r.replayDelay)}` +
      `${r.replayBehindBytes === null ? '' : ` · ${formatBytes(r.replayBehindBytes)} received, not replayed`}`;
  }
  if (r.standbys.length === 0) return null;
  return `replication: ${r.standbys.map((s) => `${s.name} ${s.state ?? 'hidden'} ` +
    (s.replayLag === null && s.behindBytes === null ? 'lag hidden' : `lag ${formatSeconds(s.replayLag ?? 0)}` +
      `${s.behindBytes === null ? '' : ` (${formatBytes(s.behindBytes)} behind)`}`)).join(' · ')}`;
}

