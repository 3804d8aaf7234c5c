import { describe, expect, it } from 'vitest';
import { cronFields, nextRuns } from '../../src/tasks/backup/cron-expression.js';
import { cronEscape, cronLine, scheduledBackupArgs } from '../../src/tasks/backup/cron-line.js';
import { installedCronLine, mergeCrontab } from '../../src/tasks/backup/crontab.js';
import { onCalendar, systemdQuote, systemdUnits } from '../../src/tasks/backup/systemd-units.js';
import { UsageError } from '../../src/tasks/errors.js';

const job = {
  program: ['/usr/bin/node', '/opt/catmaid-tui/bin/catmaid-tui'],
  catmaidDir: '/home/catmaid/CATMAID',
  outDir: '/srv/backups/100% safe',
  keep: 7,
};

describe('the scheduled backup line', () => {
  it('escapes every % for cron and quotes paths for the shell', () => {
    expect(cronEscape('date +%Y%m')).toBe('date +\\%Y\\%m');
    const line = cronLine('0 3 * * *', scheduledBackupArgs(job), '/root/.local/state/catmaid-tui/logs/backup.log');
    expect(line).toBe(
      "0 3 * * * /usr/bin/node /opt/catmaid-tui/bin/catmaid-tui --catmaid-dir /home/catmaid/CATMAID backup --quiet " +
        "--out '/srv/backups/100\\% safe' --keep 7 >> /root/.local/state/catmaid-tui/logs/backup.log 2>&1",
    );
    expect(line.match(/(?<!\\)%/g)).toBeNull();
  });

  it('names a non-default format', () => {
    expect(scheduledBackupArgs({ ...job, keep: undefined, format: 'custom' }).slice(-2)).toEqual(['--format', 'custom']);
  });
});

describe('cron schedules', () => {
  it('are checked and shown as the next three runs', () => {
    const from = new Date('2026-11-25T10:00:00Z');
    const runs = nextRuns('0 3 * * *', from, 3, 'UTC');
    expect(runs.map((d) => d.toISOString())).toEqual([
      '2026-11-26T03:00:00.000Z',
      '2026-11-27T03:00:00.000Z',
      '2026-11-28T03:00:00.000Z',
    ]);
    expect(nextRuns('@weekly', from, 1, 'UTC')[0].getUTCDay()).toBe(0);
  });

  it('refuse what cron would not run as meant', () => {
    expect(() => cronFields('0 0 3 * * *')).toThrow(/five-field/);
    expect(() => cronFields('61 3 * * *')).toThrow();
    expect(() => cronFields('@reboot')).toThrow(/no next run/);
    expect(cronFields('  30  2 * * 1-5 ')).toBe('30 2 * * 1-5');
  });
});

describe('the crontab block', () => {
  const theirs = 'MAILTO=admin@example.org\n# m h dom mon dow command\n15 * * * * /usr/local/bin/rotate\n';

  it('is added once however often it is installed', () => {
    const once = mergeCrontab(theirs, 'main', '0 3 * * * backup-a')!;
    const twice = mergeCrontab(once, 'main', '0 3 * * * backup-a')!;
    expect(twice).toBe(once);
    expect(twice.split('\n').filter((l) => l.includes('backup-a'))).toHaveLength(1);
    expect(installedCronLine(twice, 'main')).toBe('0 3 * * * backup-a');
    expect(installedCronLine(theirs, 'main')).toBeNull();
  });

  it('replaces a changed schedule in place and keeps other instances apart', () => {
    const a = mergeCrontab(theirs, 'main', '0 3 * * * backup-a')!;
    const both = mergeCrontab(a, 'test', '0 4 * * * backup-t')!;
    const moved = mergeCrontab(both, 'main', '30 1 * * * backup-a')!;
    expect(installedCronLine(moved, 'main')).toBe('30 1 * * * backup-a');
    expect(installedCronLine(moved, 'test')).toBe('0 4 * * * backup-t');
  });

  it('comes out leaving the crontab exactly as before, or none if there was none', () => {
    expect(mergeCrontab(mergeCrontab(theirs, 'main', 'x'), 'main', null)).toBe(theirs);
    expect(mergeCrontab(mergeCrontab(null, 'main', 'x'), 'main', null)).toBeNull();
    const noNewline = 'MAILTO=""';
    expect(mergeCrontab(mergeCrontab(noNewline, 'main', 'x'), 'main', null)).toBe(`${noNewline}\n`);
  });
});

describe('systemd units', () => {
  it('translate cron fields into OnCalendar', () => {
    expect(onCalendar('0 3 * * *')).toBe('*-*-* 03:00:00');
    expect(onCalendar('*/15 1-5 * * *')).toBe('*-*-* 1..5:0/15:00');
    expect(onCalendar('30 2 * * 1-5')).toBe('Mon..Fri *-*-* 02:30:00');
    expect(onCalendar('0 0 1 jan *')).toBe('*-01-01 00:00:00');
    expect(onCalendar('@weekly')).toBe('Sun *-*-* 00:00:00');
    expect(() => onCalendar('0 3 1 * 1')).toThrow(/either/);
  });

  it('quote the command for systemd, % and $ included', () => {
    expect(systemdQuote('/srv/100% safe')).toBe('"/srv/100%% safe"');
    expect(systemdQuote('--keep')).toBe('--keep');
    const units = systemdUnits('main', '0 3 * * *', scheduledBackupArgs(job));
    expect(units.name).toBe('catmaid-tui-backup-main');
    expect(units.service).toContain('Type=oneshot');
    expect(units.service).toContain('ExecStart=/usr/bin/node /opt/catmaid-tui/bin/catmaid-tui --catmaid-dir');
    expect(units.timer).toContain('OnCalendar=*-*-* 03:00:00');
    expect(units.timer).toContain('Persistent=true');
  });
});

describe('values with control characters (issue 12.8)', () => {
  const evil = '/srv/b\n* * * * * root /bin/sh -c id';
  it('never reach a crontab line, a crontab block or a unit file', () => {
    expect(() => cronLine('0 3 * * *', scheduledBackupArgs({ ...job, outDir: evil }), '/var/log/x.log')).toThrow(/has a newline or another control character/);
    expect(() => cronLine('0 3 * * *', scheduledBackupArgs(job), '/var/log/x\r.log')).toThrow(UsageError);
    expect(() => mergeCrontab(null, 'main\nMAILTO=evil', '0 3 * * * /bin/true')).toThrow(UsageError);
    expect(() => systemdUnits('main', '0 3 * * *', scheduledBackupArgs({ ...job, outDir: evil }))).toThrow(UsageError);
    expect(() => systemdUnits('main\nExecStartPost=/bin/sh', '0 3 * * *', scheduledBackupArgs(job))).toThrow(UsageError);
  });

  it('in systemd, a % in the name is doubled where specifiers are expanded', () => {
    expect(systemdUnits('100%', '0 3 * * *', scheduledBackupArgs(job)).service).toContain('Description=catmaid-tui backup of 100%%\n');
  });
});
