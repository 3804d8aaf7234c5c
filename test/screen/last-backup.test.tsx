import { Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, it } from 'vitest';
import { useLastBackup, type BackupServices } from '../../src/hooks/useBackup.js';
import type { BackupEntry } from '../../src/tasks/backup/list.js';
import type { BackupRun } from '../../src/tasks/backup/runs.js';
import { DIR, fakeBackupServices, info, manifest } from './backup-fakes.js';
import { waitForText } from './helpers.js';

afterEach(() => cleanup());

const ELSEWHERE = '/srv/elsewhere';
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);
const entry = (dir: string, name: string, createdAt: Date): BackupEntry => ({
  name, path: `${dir}/${name}`, format: 'sql', database: 'catmaid', createdAt, sizeBytes: 61_000_000, state: 'verified', manifest: manifest({ file: name }),
});
const run = (file: string, result: BackupRun['result'] = 'ok'): BackupRun => ({
  id: file, trigger: 'scheduled', pid: 1, startedAt: '2026-11-30T03:00:00Z', finishedAt: '2026-11-30T03:01:00Z', result, file,
});

function Line({ services }: { services: BackupServices }) {
  return <Text>{useLastBackup(info, true, services) ?? '…'}</Text>;
}

/** The configured folder holds a backup of 30 h ago; the schedule writes to another folder. */
function services(runs: BackupRun[], elsewhere: BackupEntry[]): BackupServices {
  const listed: Record<string, BackupEntry[]> = { [DIR]: [entry(DIR, 'catmaid_202611290000_3f2a9c1.sql', hoursAgo(30))], [ELSEWHERE]: elsewhere };
  return { ...fakeBackupServices(), list: async (dir) => listed[dir] ?? [], runs: () => runs };
}

describe("Home's Backup line", () => {
  it('shows the newest backup of the folder the last run wrote to when the schedule writes elsewhere', async () => {
    const app = render(<Line services={services([run(`${ELSEWHERE}/catmaid_202611300300_3f2a9c1.sql`)], [entry(ELSEWHERE, 'catmaid_202611300300_3f2a9c1.sql', hoursAgo(2))])} />);
    await waitForText(app, 'last: 2 h ago ✓ verified');
  });

  it('keeps to the configured folder when no run made a backup elsewhere', async () => {
    const app = render(<Line services={services([run(`${ELSEWHERE}/x.sql`, 'failed')], [entry(ELSEWHERE, 'x.sql', hoursAgo(2))])} />);
    await waitForText(app, 'last: 30 h ago ✓ verified');
  });
});
