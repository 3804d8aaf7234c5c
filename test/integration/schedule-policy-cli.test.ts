import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCrontab, writeCrontab } from '../../src/tasks/backup/crontab.js';
import { homeFor, isRoot, runCliAs, shareInstance } from '../helpers/as-user.js';
import { holdCrontabs } from '../helpers/crontab-lock.js';
import { createBackupWorld, type BackupWorld } from './backup-fixtures.js';

/**
 * `schedule backup` with the whole policy, as an ordinary user (root's tests: nobody, through runuser): the line
 * it installs is then run as cron runs it (`sh -c` with cron's short PATH, `\%` back to `%`), and does what it says.
 */
const USER = isRoot ? 'nobody' : os.userInfo().username;
const crontabUser = isRoot ? USER : undefined;
const THEIRS = 'MAILTO=""\n17 4 * * 0 /bin/true their own weekly job\n';

let world: BackupWorld;
let home: string;
let env: Record<string, string>;
let scratch: string;
let saved: string | null;
let key: string;
let release: (() => void) | undefined;
beforeAll(async () => {
  world = await createBackupWorld();
  await shareInstance(world.sandbox.root, USER);
  ({ home, env } = await homeFor(USER));
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'schedule-policy-'));
  await fs.chmod(scratch, 0o777);
  const keygen = await execa('age-keygen', ['-o', path.join(scratch, 'identity.txt')]);
  key = /age1[0-9a-z]+/.exec(keygen.stderr)![0];
  release = await holdCrontabs([USER]);
  saved = await readCrontab(crontabUser);
  await writeCrontab(THEIRS, crontabUser);
});
afterAll(async () => {
  if (release) {
    await writeCrontab(saved, crontabUser);
    release();
  }
  await world?.destroy();
  await fs.rm(scratch, { recursive: true, force: true });
  await fs.rm(home, { recursive: true, force: true });
});

const cli = (args: string[]) => runCliAs(USER, ['--catmaid-dir', world.sandbox.root, ...args], { env });
const outDir = () => path.join(scratch, 'backups 100%');
const offsite = () => path.join(scratch, 'offsite');
const policy = () => [
  '--out', outDir(), '--at', '15 2 * * *', '--keep', '5', '--keep-daily', '7', '--keep-weekly', '4',
  '--encrypt-to', key, '--copy-to', offsite(), '--mail-to', 'admin@example.org', '--restore-test-every', '30d',
  '--restore-test-identity', identity(),
];
const identity = () => path.join(scratch, 'identity.txt');

interface SchedulePrint {
  schedule: string;
  plan: { retention: Record<string, number>; encryptTo: string; copyTo: string[]; mailTo: string; restoreTestEvery: string };
  recipients: { file: string; keys: string[] };
  command: string[];
  crontabLine: string;
  systemd: { name: string; service: string; timer: string };
  words: Record<string, string>;
}

describe('schedule backup with the whole policy', () => {
  it('--json prints the policy as data: plan, recipients, the command, the crontab line and the units', async () => {
    await fs.mkdir(outDir(), { mode: 0o777 });
    await fs.mkdir(offsite(), { mode: 0o777 });
    await fs.chmod(outDir(), 0o700);
    await fs.chmod(offsite(), 0o700);
    if (isRoot) {
      const uid = Number((await execa('id', ['-u', USER])).stdout);
      for (const file of [outDir(), offsite(), identity()]) await fs.chown(file, uid, uid);
    }
    const run = await cli(['schedule', 'backup', '--json', ...policy()]);
    expect(run.exitCode).toBe(0);
    const printed = JSON.parse(run.stdout) as SchedulePrint;
    expect(printed.schedule).toBe('15 2 * * *');
    expect(printed.plan).toMatchObject({ retention: { last: 5, daily: 7, weekly: 4 }, copyTo: [offsite()], mailTo: 'admin@example.org', restoreTestEvery: '30d' });
    expect(printed.recipients).toEqual({ file: printed.plan.encryptTo, keys: [key] });
    expect(printed.recipients.file.startsWith(path.join(env.XDG_CONFIG_HOME, 'catmaid-tui', 'recipients'))).toBe(true);
    expect(printed.command).toContain('--scheduled');
    expect(printed.crontabLine).toContain("'" + `${outDir().replace('%', '\\%')}'`);
    expect(printed.systemd.service).toContain(' --encrypt-to ');
    expect(printed.systemd.service).toContain(`"${outDir().replace('%', '%%')}"`);
    expect(printed.words.copies).toBe(`copy → ${offsite()}`);
    // Printing writes nothing.
    await expect(fs.stat(printed.recipients.file)).rejects.toThrow();
    expect(await readCrontab(crontabUser)).toBe(THEIRS);
  });

  it('--install writes the recipients file (0600) and one line with every flag and --scheduled', async () => {
    expect((await cli(['schedule', 'backup', '--install', ...policy()])).exitCode).toBe(3);
    const run = await cli(['schedule', 'backup', '--install', '--yes', ...policy()]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^wrote the recipients file (\S+)\ninstalled in the crontab of /);
    const file = /^wrote the recipients file (\S+)/.exec(run.stdout)![1];
    expect((await fs.readFile(file, 'utf8')).split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([key]);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    const crontab = (await readCrontab(crontabUser))!;
    expect(crontab.startsWith(THEIRS)).toBe(true);
    const line = crontab.split('\n').find((l) => l.includes(' backup --scheduled '))!;
    for (const part of ['--keep 5', '--keep-daily 7', '--keep-weekly 4', `--encrypt-to ${file}`, `--copy-to ${offsite()}`, '--mail-to admin@example.org', '--restore-test-every 30d']) {
      expect(line).toContain(part);
    }
    expect((await cli(['schedule', 'backup', '--install', '--yes', ...policy()])).stdout).toMatch(/^kept the recipients file .*\nalready in the crontab/);
  });

  it('the installed line, run as cron runs it, makes an encrypted backup, copies it and records a scheduled run', async () => {
    const line = (await readCrontab(crontabUser))!.split('\n').find((l) => l.includes(' backup --scheduled '))!;
    const command = line.split(' ').slice(5).join(' ').replace(/\\%/g, '%');
    const runEnv = { ...env, HOME: home, PATH: '/usr/bin:/bin', SHELL: '/bin/sh', LOGNAME: USER };
    // cron starts the job in the user's home.
    const run = isRoot
      ? await execa('/usr/sbin/runuser', ['-u', USER, '--', '/bin/sh', '-c', command], { cwd: home, env: runEnv, extendEnv: false, reject: false })
      : await execa('/bin/sh', ['-c', command], { cwd: home, env: runEnv, extendEnv: false, reject: false });
    // cron appends the output to the log the line names; nothing else is said.
    const log = await fs.readFile(path.join(env.XDG_STATE_HOME, 'catmaid-tui', 'logs', `scheduled-backup-${path.basename(world.sandbox.root)}.log`), 'utf8').catch(() => '(no log)');
    expect(run.exitCode, log).toBe(0);
    expect(run.stderr + run.stdout).toBe('');
    const dumps = (await fs.readdir(outDir())).filter((n) => n.endsWith('.sql.age'));
    expect(dumps).toHaveLength(1);
    expect((await fs.readdir(offsite())).filter((n) => n.endsWith('.sql.age'))).toEqual(dumps);
    const check = await cli(['backups', '--check', '--out', outDir()]);
    expect(check.stdout).toMatch(/^BACKUP OK - /);
    const listed = JSON.parse((await cli(['backups', '--json', '--out', outDir()])).stdout) as {
      runs: { trigger: string; state: string }[];
      schedule: unknown;
      encryption: unknown;
      copies: unknown;
      retention: { pinned: unknown[] };
    };
    expect(listed.runs[0]).toMatchObject({ trigger: 'scheduled', state: 'ok', reason: null });
    expect(listed.schedule).toMatchObject({ at: '15 2 * * *', outDir: outDir() });
    expect(listed.encryption).toMatchObject({ recipients: [key], encryptedBackups: 1 });
    expect(listed.copies).toEqual([{ destination: offsite(), copied: 1, of: 1, lastAt: expect.any(String) }]);
    expect(listed.retention).toMatchObject({ text: 'keep newest 5, 7 daily, 4 weekly', remove: [] });
    // The restore test of the encrypted backup passed with the identity, and pinned it.
    expect(listed.retention.pinned).toEqual([expect.objectContaining({ kind: 'restore-test' })]);
  });

  it('refuses a bad value of any flag before anything is written: exit 2, the crontab unchanged', async () => {
    const before = await readCrontab(crontabUser);
    const bad: string[][] = [
      ['--mail-to', 'admin@example.org\n* * * * * /bin/sh -c evil'],
      ['--notify-command', 'page-me'],
      ['--notify-command', '["/bin/echo", "a"'],
      ['--copy-to', `${scratch}/x\n* * * * * evil`],
      ['--restore-test-every', 'weekly'],
      ['--encrypt-to', 'not-a-key'],
      ['--restore-test-identity', '/root/key\n* * * * * evil'],
      ['--ssh-config', '/etc/ssh config'],
      ['--keep-daily', 'seven'],
      ['--encrypt-to', key, '--restore-test-every', '7d'],
      ['--restore-test-identity', '/nonexistent/key.txt'],
    ];
    for (const args of bad) {
      for (const how of ['--install', '--systemd']) {
        const run = await cli(['schedule', 'backup', how, '--yes', '--out', outDir(), ...args]);
        expect(run.exitCode, `${how} ${args.join(' ')}`).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(/^catmaid-tui: /);
      }
    }
    expect(await readCrontab(crontabUser)).toBe(before);
  });
});
