/**
 * Streaming replication as the header shows it: on a primary, each standby's lag (pg_stat_replication); on a
 * standby, how far replay is behind (pg_last_xact_replay_timestamp, received vs replayed WAL). Without
 * pg_read_all_stats PostgreSQL hides the lag columns of pg_stat_replication: they stay null and the screen says
 * "hidden".
 */
export interface Standby {
  name: string;
  client: string | null;
  state: string | null;
  /** Seconds; null when hidden or not measured yet. */
  replayLag: number | null;
  /** WAL bytes sent but not replayed yet. */
  behindBytes: number | null;
}

export interface Replication {
  /** This server is a standby itself. */
  inRecovery: boolean;
  standbys: Standby[];
  /** On a standby: seconds since the last replayed transaction's commit, null when none replayed yet. */
  replayDelay: number | null;
  /** On a standby: WAL received but not replayed yet. */
  replayBehindBytes: number | null;
  /** On a standby: the primary it streams from (null when hidden or not streaming). */
  upstream: string | null;
}

export const NO_REPLICATION: Replication = {
  inRecovery: false, standbys: [], replayDelay: null, replayBehindBytes: null, upstream: null,
};

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** From the stats query's columns in_recovery, standbys (json array), standby (json object). */
export function replicationOf(inRecovery: unknown, standbys: unknown, standby: unknown): Replication {
  const list = Array.isArray(standbys) ? (standbys as Record<string, unknown>[]) : [];
  const self = (standby ?? {}) as Record<string, unknown>;
  return {
    inRecovery: inRecovery === true,
    standbys: list.map((s) => ({
      name: String(s.name ?? '') || String(s.client ?? 'standby'),
      client: s.client === null || s.client === undefined ? null : String(s.client).replace(/\/(32|128)$/, ''),
      state: s.state === null || s.state === undefined ? null : String(s.state),
      replayLag: num(s.replay_lag),
      behindBytes: num(s.behind_bytes),
    })),
    replayDelay: num(self.replay_delay),
    replayBehindBytes: num(self.behind_bytes),
    upstream: self.upstream === null || self.upstream === undefined ? null : String(self.upstream),
  };
}
