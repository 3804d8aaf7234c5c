import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { Schedule } from '../../src/screens/Schedule.js';
import { fakeScheduleServices, info, RECIPIENTS } from './backup-fakes.js';
import { KEY, press, waitForFrame, waitForText } from './helpers.js';
import { cronLine, scheduledBackupArgs } from '../../src/tasks/backup/cron-line.js';
import { mergeCrontab } from '../../src/tasks/backup/crontab.js';

afterEach(() => cleanup());

const screen = (services: ReturnType<typeof fakeScheduleServices>) =>
  render(<Schedule info={info} active width={100} height={27} services={services} />);
/** The frame as one line of words, so a crontab line wrapped in its panel reads whole. */
const flat = (frame: string) => frame.replace(/[│┌┐└┘─]/g, ' ').replace(/\s+/g, ' ');
const OWN = "# the admin's own line\n15 1 * * * /usr/local/bin/rotate-logs\n";

describe('the Schedule screen', () => {
  it('shows none installed, the line with its next runs and the .pgpass warning; installs once, then removes back to the old crontab', async () => {
    const services = fakeScheduleServices(OWN);
    const app = screen(services);
    let frame = await waitForText(app, 'none installed for this instance');
    expect(frame).toContain('Schedule backups · catmaid · crontab of root');
    expect(frame).toMatch(/Schedule \(cron\) +0 3 \* \* \*/);
    expect(flat(frame)).toContain(
      '0 3 * * * /usr/bin/node /opt/catmaid-tui/bin/catmaid-tui --catmaid-dir /srv/catmaid backup --scheduled --quiet --out /var/backups/catmaid >> /root/.local/state/catmaid-tui/logs/scheduled-backup-catmaid.log 2>&1',
    );
    expect(frame).toMatch(/next runs: .+ 03:00 · .+ 03:00 · .+ 03:00/);
    expect(frame).toContain('! root has no usable .pgpass entry: /root/.pgpass does not exist — catmaid-tui pgpass --install');

    await press(app, 'i');
    frame = await waitForText(app, 'Add the line above to the crontab of root?');
    expect(frame).toContain('› No');
    await press(app, 'y');
    frame = await waitForText(app, '✓ installed in the crontab of root');
    await waitForText(app, '✓ installed: 0 3 * * *');
    expect(services.crontab()).toContain(OWN);

    await press(app, 'i', 'y');
    await waitForText(app, 'already installed: the crontab is unchanged');
    expect(services.crontab()?.match(/backup --scheduled --quiet/g)).toHaveLength(1);

    await press(app, 'x');
    await waitForText(app, 'Take the scheduled backup of catmaid out of the crontab of root?');
    await press(app, 'y');
    await waitForText(app, 'removed: the crontab is as it was before');
    await waitForText(app, 'none installed for this instance');
    expect(services.crontab()).toBe(OWN);
  });

  it('refuses an invalid cron expression, validates the edited one and shows the systemd units as an alternative', async () => {
    const services = fakeScheduleServices(null);
    const app = screen(services);
    await waitForText(app, 'none installed');
    await press(app, KEY.enter, ...Array(9).fill(KEY.backspace));
    await press(app, ...'0 25 * * *'.split(''), KEY.enter);
    let frame = await waitForText(app, 'invalid:');
    expect(frame).toMatch(/✗ invalid: .*25/);
    expect(frame).not.toContain('next runs');
    await press(app, 'i');
    frame = await waitForText(app, 'not installed:');
    expect(frame).not.toContain('Add the line above');
    expect(services.crontab()).toBeNull();

    await press(app, KEY.enter, ...Array(10).fill(KEY.backspace));
    await press(app, ...'30 2 * * 1-5'.split(''), KEY.enter);
    frame = await waitForText(app, 'next runs');
    expect(frame).toMatch(/next runs: (Mon|Tue|Wed|Thu|Fri) \d\d \w{3} \d{4} 02:30 · (Mon|Tue|Wed|Thu|Fri) .+ 02:30 · (Mon|Tue|Wed|Thu|Fri) .+ 02:30/);
    expect(flat(frame)).toContain('30 2 * * 1-5 /usr/bin/node');

    await press(app, 't');
    frame = await waitForText(app, 'systemd units · save both');
    expect(frame).not.toContain('Keep newest');
    expect(flat(frame)).toContain('OnCalendar=Mon..Fri *-*-* 02:30:00');
    expect(frame).toContain('# /etc/systemd/system/catmaid-tui-backup-catmaid.service');
    expect(frame).toContain('systemctl enable --now catmaid-tui-backup-catmaid.timer');
    await press(app, 't');
    await waitForText(app, 'Crontab line');
    await press(app, 'i', 'y');
    await waitForFrame(app, (f) => f.includes('✓ installed in the crontab of root'));
    expect(services.crontab()).toContain('30 2 * * 1-5 /usr/bin/node');
  });

  it('edits the policy (retention, encryption, copies, mail, restore test), asks, installs the keys with the line, and starts from them again', async () => {
    const KEY_ = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
    const services = fakeScheduleServices(OWN);
    let app = screen(services);
    await waitForText(app, 'none installed');
    const type = async (downs: number, text: string) => {
      await press(app, ...Array(downs).fill(KEY.down), KEY.enter, ...text.split(''), KEY.enter);
    };
    await type(4, '7'); // keep daily
    await type(1, '4'); // keep weekly
    await type(2, KEY_); // encrypt to
    await type(1, '/mnt/offsite'); // copy to
    await type(1, 'a b'); // mail failures to
    let frame = await waitForText(app, 'invalid:');
    expect(frame).toMatch(/✗ invalid: --mail-to "a b": not a mail address/);
    await press(app, 'i');
    await waitForText(app, 'not installed: --mail-to');
    expect(services.crontab()).toBe(OWN);
    await press(app, KEY.enter, KEY.backspace, KEY.backspace, KEY.backspace, ...'admin'.split(''), KEY.enter);
    await type(1, '30d'); // restore test every: encrypted, so it needs an identity the form does not take
    frame = await waitForText(app, 'invalid:');
    expect(frame).toContain('needs --restore-test-identity');
    await press(app, KEY.enter, KEY.backspace, KEY.backspace, KEY.backspace, KEY.enter);
    frame = await waitForText(app, 'next runs');
    const line = flat(frame);
    for (const part of ['--keep-daily 7', '--keep-weekly 4', `--encrypt-to ${RECIPIENTS}`, '--copy-to /mnt/offsite', '--mail-to admin']) expect(line).toContain(part);

    await press(app, 'i');
    await waitForText(app, 'Add the line above to the crontab of root?');
    expect(services.keys()).toEqual([]);
    await press(app, 'y');
    await waitForText(app, '✓ installed in the crontab of root');
    expect(services.keys()).toEqual([KEY_]);
    expect(services.crontab()).toContain(`--encrypt-to ${RECIPIENTS}`);
    cleanup();

    app = screen(services);
    frame = await waitForText(app, '✓ installed:');
    expect(frame).toContain('Schedule backups · catmaid · crontab of root');
    expect(frame).toMatch(/Restore test +\(never\)/);
    await waitForFrame(app, (f) => /Keep daily +7/.test(f));
    frame = app.lastFrame() ?? '';
    expect(frame).toMatch(/Keep weekly +4/);
    expect(frame).toMatch(/Encrypt to +age1ql3z7/);
    expect(frame).toMatch(/Copy to +\/mnt\/offsite/);
    expect(frame).toMatch(/Mail failures to +admin/);
  });

  it('keeps the folder of the installed line when its policy is edited', async () => {
    const line = cronLine('15 2 * * *', scheduledBackupArgs({ program: ['/usr/bin/node', '/opt/catmaid-tui/bin/catmaid-tui'], catmaidDir: '/srv/catmaid', outDir: '/srv/elsewhere', retention: { last: 3 } }), '/tmp/log');
    const services = fakeScheduleServices(mergeCrontab(OWN, 'catmaid', line));
    const app = screen(services);
    await waitForFrame(app, (f) => /Keep newest +3/.test(f));
    await press(app, KEY.down, KEY.down, KEY.down, KEY.enter, '9', KEY.enter);
    const frame = await waitForFrame(app, (f) => flat(f).includes('--keep-days 9'));
    expect(flat(frame)).toContain('--out /srv/elsewhere --keep 3 --keep-days 9');
  });

  it('says the scheduled run reads the password from settings.py when it holds it, without the .pgpass warning', async () => {
    const services = { ...fakeScheduleServices(OWN), checkPgpass: async () => ({ usable: true as const, file: '/root/.pgpass', fromSettings: true }) };
    const frame = await waitForText(screen(services), '✓ the scheduled run reads the password from settings.py');
    expect(frame).not.toContain('.pgpass');
  });
});
