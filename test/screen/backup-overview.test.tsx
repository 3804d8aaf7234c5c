import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { Backup } from '../../src/screens/Backup.js';
import { fakeBackupServices, fakeOverview, info } from './backup-fakes.js';
import { waitForText } from './helpers.js';

afterEach(() => cleanup());

const screen = (services: ReturnType<typeof fakeBackupServices>, height = 27) =>
  render(<Backup info={info} active width={100} height={height} services={services} />);

describe('the Backup screen overview', () => {
  it('shows the schedule with its policy, the last runs with the failure reason, the retention plan with the pinned one, encryption and copies', async () => {
    const app = screen(fakeBackupServices());
    const frame = await waitForText(app, 'Copies');
    expect(frame).toMatch(/Schedule +✓ 15 2 \* \* \* \(cron\) · next \d\d \w{3} \d\d:15 → \/var\/backups\/catmaid/);
    expect(frame).toMatch(/Policy +keep 7 daily, 4 weekly · restore test every 7d · failures mailed to the job's user/);
    // The failure's whole reason, wrapped.
    expect(frame).toMatch(/Last runs +✗ \d\d \w{3} \d\d:\d\d failed: copy to backup@offsite:\/srv\/catmaid failed: ssh: /);
    expect(frame.replace(/\s+/g, ' ')).toContain('failed: ssh: connect to host offsite port 22: Connection refused');
    expect(frame).toMatch(/ +✓ \d\d \w{3} \d\d:\d\d ok · 57\.7 MB/);
    expect(frame).toMatch(/Retention +! keep 7 daily, 4 weekly · next prune removes 2, keeps 2 · ⚑ 1 pinned/);
    expect(frame).toMatch(/ +− catmaid_202610010215_3f2a9c1\.sql\.age\n +− catmaid_202610020215_3f2a9c1\.sql\.age/);
    expect(frame).toMatch(/ +⚑ catmaid_202609150215_3f2a9c1\.sql\.age \(update\): pre-update backup/);
    expect(frame).toMatch(/Encryption +✓ age → 1 recipient \(\/root\/\.config\/catmaid-tui\/recipients\/catmaid\.txt\) · 4 encrypted/);
    expect(frame).toMatch(/Copies +! backup@offsite:\/srv\/catmaid: 3 of 4 copied, last 26 h ago/);
    // The form is still there, above.
    expect(frame).toContain('Start the backup');
  });

  it('says when nothing is scheduled and no run is recorded', async () => {
    const app = screen(fakeBackupServices({ overview: null }));
    const frame = await waitForText(app, 'no scheduled backup');
    expect(frame).toMatch(/Schedule +! no scheduled backup: the Schedule screen sets one up/);
    expect(frame).toMatch(/Last runs +· none recorded yet/);
    expect(frame).not.toContain('Retention');
  });

  it('keeps the schedule and the newest run when the terminal is short', async () => {
    const o = fakeOverview();
    const app = screen(fakeBackupServices({ overview: o }), 16);
    const frame = await waitForText(app, 'Last runs');
    expect(frame).toContain('Schedule');
    expect(frame).toContain('failed: copy to');
    expect(frame).not.toContain('⚑ catmaid_');
    expect(frame.split('\n').length).toBeLessThanOrEqual(16);
  });
});
