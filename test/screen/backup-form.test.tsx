import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { Backup } from '../../src/screens/Backup.js';
import { fakeBackupServices, info } from './backup-fakes.js';
import { KEY, press, waitForFrame, waitForText } from './helpers.js';

afterEach(() => cleanup());

const screen = (services: ReturnType<typeof fakeBackupServices>) =>
  render(<Backup info={info} active width={100} height={27} services={services} />);

describe('the Backup screen', () => {
  it('fills the form, runs with live progress and shows the verified result with its manifest and log', async () => {
    const services = fakeBackupServices();
    const app = screen(services);
    let frame = await waitForText(app, '/var/backups/catmaid');
    expect(frame).toContain('Backup · database catmaid@127.0.0.1:5432');
    expect(frame).toMatch(/Format +‹ sql ›/);
    expect(frame).toMatch(/Edge table +‹ left out \(rebuilt after a restore\) ›/);
    expect(frame).toMatch(/Keep newest +\(keep all\)/);
    expect(frame).not.toContain('Jobs');

    // Format → directory shows the jobs field; type 2 jobs and keep 5.
    await press(app, KEY.up, KEY.up, KEY.up, ' ', ' ');
    frame = await waitForText(app, '‹ directory ›');
    expect(frame).toMatch(/Jobs +1/);
    await press(app, KEY.down, KEY.enter, '2', KEY.enter);
    await waitForFrame(app, (f) => /Jobs +2/.test(f));
    await press(app, KEY.down, KEY.down, KEY.enter, '5', KEY.enter);
    await waitForFrame(app, (f) => /Keep newest +5/.test(f));

    await press(app, 's');
    frame = await waitForText(app, 'Backup ✓ verified · manifest');
    expect(services.calls).toHaveLength(1);
    expect(services.calls[0]).toMatchObject({ outDir: '/var/backups/catmaid', format: 'directory', jobs: 2, withEdgeTable: false, retention: { last: 5 } });
    expect(frame).toContain('Backup · catmaid → /var/backups/catmaid/catmaid_202611251402_3f2a9c1.dir');
    expect(frame).toMatch(/file +\/var\/backups\/catmaid\/catmaid_202611251402_3f2a9c1\.dir/);
    expect(frame).toMatch(/sha256 +abab/);
    expect(frame).toMatch(/verified +✓ yes/);
    expect(frame).toMatch(/version +2021\.12\.21-4-g3f2a9c1 \(commit 3f2a9c1d0e5b\)/);
    expect(frame).toContain('--keep   removed 1: catmaid_202611200300_3f2a9c1.sql');
    expect(frame).toContain('treenode_edge: definition kept, data left out (rebuilt after a restore)');
    expect(frame).toContain('log: /var/log/test/backup.log');

    await press(app, 'n');
    await waitForText(app, 'Start the backup');
  });

  it('shows bytes of ~estimate, rate, elapsed, time left and the table while dumping; Esc asks, and stopping says nothing is left', async () => {
    const services = fakeBackupServices({ holdAt: 3 });
    const app = screen(services);
    await waitForText(app, '/var/backups/catmaid');
    await press(app, KEY.enter);
    let frame = await waitForText(app, 'dumping table public.treenode_connector');
    expect(frame).toMatch(/█+░+ +68%/);
    expect(frame).toContain('257 MB of ~381 MB · 85.8 MB/s · 0:03 elapsed · ~0:01 left');

    await press(app, KEY.esc);
    frame = await waitForText(app, 'Stop the backup?');
    expect(frame).toContain('› No');
    await press(app, KEY.enter);
    await waitForFrame(app, (f) => !f.includes('Stop the backup?'));
    expect(services.aborted).toHaveLength(0);

    await press(app, KEY.esc, 'y');
    frame = await waitForText(app, 'stopped: the unfinished dump was removed, nothing was left behind');
    expect(services.aborted).toEqual([true]);
    expect(frame).not.toContain('verified');
  });

  it('refuses a keep that is not a whole number and does not start', async () => {
    const services = fakeBackupServices();
    const app = screen(services);
    await waitForText(app, '/var/backups/catmaid');
    await press(app, KEY.up, KEY.enter, 'x', 'y', KEY.enter, 's');
    const frame = await waitForText(app, 'keep: "xy" is not a whole number ≥ 1');
    expect(frame).toContain('✗');
    expect(services.calls).toHaveLength(0);
  });
});
