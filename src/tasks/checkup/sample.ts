import { withClient } from '../db/connect.js';
import type { DatabaseSettings } from '../instance/types.js';
import { takeSnapshot } from '../monitor/snapshot.js';
import type { ConnectionSamples } from './types.js';

/** Sessions an admin opened by hand or with a tool, not WSGI workers. */
const ADMIN_APP = /^(psql|pgAdmin|pg_dump|pg_restore|pgcli|DBeaver|DataGrip)/i;
/** catmaid-tui's own connections (the checkup's gatherers run while it samples) are not the application's. */
const OWN_APP = 'catmaid-tui';

export interface SampleOptions {
  db: DatabaseSettings;
  samples: number;
  intervalMs: number;
  /** Called after every sample with the series so far (the screen's live sparkline). */
  onSample?: (series: number[]) => void;
  signal?: AbortSignal;
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * The CATMAID role's connections, `samples` times, `intervalMs` apart, over one connection of our own, with the
 * monitor's snapshot (which lists every other session of the database).
 */
export async function sampleConnections(options: SampleOptions): Promise<ConnectionSamples> {
  const series: number[] = [];
  let adminSessions = 0;
  await withClient(options.db, async (client) => {
    for (let i = 0; i < options.samples && !options.signal?.aborted; i++) {
      if (i > 0) await pause(options.intervalMs, options.signal);
      if (options.signal?.aborted) break;
      const snapshot = await takeSnapshot(client, { role: options.db.user, stats: false });
      const role = snapshot.sessions.filter((s) => s.user === options.db.user && s.app !== OWN_APP);
      series.push(role.length);
      const admin = role.filter((s) => ADMIN_APP.test(s.app)).length;
      adminSessions = Math.max(adminSessions, admin);
      options.onSample?.([...series]);
    }
  });
  return { series, adminSessions, intervalSeconds: options.intervalMs / 1000 };
}
