import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkedPlan, planArgs, planOfLine, planWords, type PlanRequest } from '../../src/tasks/backup/backup-plan.js';
import { cronLine, scheduledBackupArgs } from '../../src/tasks/backup/cron-line.js';
import { systemdUnits } from '../../src/tasks/backup/systemd-units.js';
import { UsageError } from '../../src/tasks/errors.js';
import { schedulePreview, valuesOfLine } from '../../src/screens/backup/schedule-lines.js';

const OWN = '/root/.config/catmaid-tui/recipients/main-1a2b.txt';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-'));
const IDENTITY = path.join(scratch, 'backup.key');
fs.writeFileSync(IDENTITY, '# an identity file\n', { mode: 0o600 });
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const KEY = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const request = (extra: Partial<PlanRequest> = {}): PlanRequest => ({ retention: {}, encryptTo: [], copyTo: [], ...extra });
const job = { program: ['/usr/bin/node', '/opt/catmaid-tui/bin/catmaid-tui'], catmaidDir: '/srv/catmaid', outDir: '/srv/backups' };
const place = { program: job.program, catmaidDir: job.catmaidDir, backupDir: job.outDir };

describe('the scheduled backup plan', () => {
  it('goes into the line whole, with --scheduled, and reads back from it the same', () => {
    const { plan, keys } = checkedPlan(
      request({
        format: 'custom',
        globals: true,
        retention: { last: 3, days: 10, daily: 7, weekly: 4, monthly: 6 },
        encryptTo: [KEY],
        copyTo: ['/mnt/other disk/backups', 'backup@offsite.example.org:/srv/catmaid 100%'],
        sshConfig: 'ssh/config',
        mailTo: 'admin@example.org',
        notifyCommand: '["/usr/bin/logger", "-t", "catmaid backup"]',
        restoreTestEvery: '7d',
        restoreTestIdentity: IDENTITY,
      }),
      OWN,
    );
    expect(keys).toEqual([KEY]);
    expect(plan.encryptTo).toBe(OWN);
    expect(plan.sshConfig).toBe(path.resolve('ssh/config'));
    const args = scheduledBackupArgs({ ...job, ...plan });
    expect(args.slice(2, 8)).toEqual(['--catmaid-dir', '/srv/catmaid', 'backup', '--scheduled', '--quiet', '--out']);
    for (const flag of ['--keep', '--keep-days', '--keep-daily', '--keep-weekly', '--keep-monthly', '--globals', '--encrypt-to', '--copy-to', '--ssh-config', '--mail-to', '--notify-command', '--restore-test-every', '--restore-test-identity']) {
      expect(args).toContain(flag);
    }
    const line = cronLine('0 3 * * *', args, '/root/.local/state/catmaid-tui/logs/scheduled-backup-main.log');
    expect(line).toContain("'backup@offsite.example.org:/srv/catmaid 100\\%'");
    expect(line).toContain(`'["/usr/bin/logger", "-t", "catmaid backup"]'`);
    const read = planOfLine(line)!;
    expect(read.outDir).toBe('/srv/backups');
    expect(read.plan).toEqual(plan);
    expect(planArgs(read.plan)).toEqual(planArgs(plan));
    // systemd quotes the same words its own way.
    expect(systemdUnits('main', '0 3 * * *', args).service).toContain('"backup@offsite.example.org:/srv/catmaid 100%%"');
    expect(planWords(plan)).toMatchObject({ retention: expect.stringContaining('3'), copies: expect.stringContaining('/mnt/other disk/backups') });
  });

  it('refuses what the night would fail on, before anything is installed', () => {
    const bad: [Partial<PlanRequest>, RegExp][] = [
      [{ mailTo: 'admin@example.org\nBcc: x@evil' }, /mail address/],
      [{ notifyCommand: 'page-me' }, /absolute path/],
      [{ notifyCommand: '["page-me"' }, /JSON array/],
      [{ restoreTestEvery: 'weekly' }, /not a duration/],
      [{ copyTo: ['-e sh'] }, /not a destination/],
      [{ copyTo: ['/mnt/a\nb'] }, /not a destination/],
      [{ sshConfig: '/root/my ssh config' }, /without spaces/],
      [{ encryptTo: ['not-a-key'] }, /not a recipient/],
      [{ encryptTo: ['/nonexistent/recipients.txt'] }, /no such recipients file/],
      [{ encryptTo: [KEY], format: 'directory' }, /directory format/],
      [{ encryptTo: [KEY], restoreTestEvery: '7d' }, /needs --restore-test-identity/],
      [{ restoreTestIdentity: '/nonexistent/key.txt' }, /no such file/],
    ];
    for (const [extra, message] of bad) expect(() => checkedPlan(request(extra), OWN), JSON.stringify(extra)).toThrow(message);
    expect(() => checkedPlan(request({ mailTo: 'x' }), OWN)).not.toThrow();
    try {
      checkedPlan(request({ restoreTestEvery: 'weekly' }), OWN);
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
    }
  });

  it('names a recipients file of the admin own as it is, and refuses keys mixed with it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-'));
    const file = path.join(dir, 'recipients.txt');
    fs.writeFileSync(file, `${KEY}\n`);
    expect(checkedPlan(request({ encryptTo: [file] }), OWN)).toEqual({ plan: { retention: {}, copyTo: [], encryptTo: file }, keys: [] });
    expect(() => checkedPlan(request({ encryptTo: [file, KEY] }), OWN)).toThrow(/not both/);
    fs.rmSync(dir, { recursive: true });
  });

  it('refuses a control character anywhere in the line', () => {
    const evil = path.join(scratch, 'key\n* * * * * evil');
    fs.writeFileSync(evil, '');
    const { plan } = checkedPlan(request({ mailTo: 'root', restoreTestIdentity: evil }), OWN);
    expect(() => cronLine('0 3 * * *', scheduledBackupArgs({ ...job, ...plan }), '/tmp/log')).toThrow(/control character/);
    expect(() => systemdUnits('main', '0 3 * * *', scheduledBackupArgs({ ...job, ...plan }))).toThrow(/control character/);
  });
});

describe('the Schedule form and the installed line', () => {
  const ctx = { instanceName: 'main', ...place, logFile: '/tmp/log', recipientsFile: OWN, base: null };

  it('starts from what runs and keeps what the form does not edit', () => {
    const installed = checkedPlan(request({ retention: { daily: 7, weekly: 4 }, encryptTo: [KEY], copyTo: ['/mnt/b'], notifyCommand: '/usr/local/bin/page', restoreTestEvery: '7d', restoreTestIdentity: IDENTITY }), OWN).plan;
    const line = cronLine('30 2 * * *', scheduledBackupArgs({ ...job, ...installed }), '/tmp/log');
    const values = valuesOfLine(line, { file: OWN, keys: [KEY] })!;
    expect(values).toMatchObject({ at: '30 2 * * *', keepDaily: '7', keepWeekly: '4', keep: '', encryptTo: KEY, copyTo: '/mnt/b', restoreTestEvery: '7d' });
    const edited = schedulePreview({ ...values, keepMonthly: '6' }, { ...ctx, base: planOfLine(line)!.plan });
    expect(edited.error).toBeUndefined();
    expect(edited.plan).toMatchObject({ retention: { daily: 7, weekly: 4, monthly: 6 }, notifyCommand: '/usr/local/bin/page', encryptTo: OWN, restoreTestIdentity: IDENTITY });
    expect(edited.keys).toEqual([KEY]);
    expect(schedulePreview({ ...values, keepDaily: 'seven' }, ctx).error).toMatch(/keep daily/);
    expect(schedulePreview({ ...values, mailTo: 'a b' }, ctx).error).toMatch(/mail address/);
  });
});
