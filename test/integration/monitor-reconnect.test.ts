import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, stopSandbox } from '../../src/sandbox/index.js';
import { discoverInstance } from '../../src/tasks/instance/index.js';
import { MonitorSession } from '../../src/tasks/monitor/session.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let sandbox: TestSandbox;

beforeAll(async () => {
  sandbox = await createTestSandbox();
}, 240_000);

afterAll(async () => {
  await sandbox?.destroy();
});

describe('the monitor when the database server goes away and comes back', () => {
  it('says since when it is disconnected, retries, and carries on with a new connection', async () => {
    const info = await discoverInstance({ name: 'sb', root: sandbox.root, via: '--catmaid-dir' }, { database: false, processes: false });
    const session = new MonitorSession({
      db: info.settings.settings.database, connMaxAge: 60, root: sandbox.root,
      connection: { minBackoffMs: 100, maxBackoffMs: 400 },
    });
    try {
      const first = await session.refresh();
      expect(first.status).toMatchObject({ connected: true, generation: 1 });
      const pidBefore = first.server!.ownPid;

      await stopSandbox(sandbox.dir);
      const down = await session.refresh();
      expect(down.status.connected).toBe(false);
      expect(down.status.disconnectedSince).toBeGreaterThan(Date.now() - 60_000);
      expect(down.status.lastError).toBeTruthy();
      // The last sample stays on screen while disconnected.
      expect(down.snapshot?.counts).toEqual(first.snapshot?.counts);
      const since = down.status.disconnectedSince;
      const again = await session.refresh();
      expect(again.status.disconnectedSince).toBe(since);

      await startSandbox(sandbox.dir);
      let back = await session.refresh();
      for (let i = 0; i < 40 && !back.status.connected; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        back = await session.refresh();
      }
      expect(back.status).toMatchObject({ connected: true, disconnectedSince: null, generation: 2 });
      expect(back.server!.ownPid).not.toBe(pidBefore);
      expect(back.snapshot!.takenAt).toBeGreaterThan(first.snapshot!.takenAt);
      expect(back.history.total.length).toBe(2);
    } finally {
      await session.close();
    }
  }, 120_000);
});
