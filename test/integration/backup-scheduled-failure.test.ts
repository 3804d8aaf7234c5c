import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homeFor, isRoot, runCliAs, shareInstance } from '../helpers/as-user.js';
import { fakeSendmail, sentMails } from '../helpers/fake-sendmail.js';
import { createBackupWorld, type BackupWorld } from './backup-fixtures.js';

/**
 * The scheduled job as cron runs it: an ordinary user (as root's tests: nobody), a folder of that user's that it
 * cannot write, an MTA on PATH (a fake that records what it is given).
 */
const USER = isRoot ? 'nobody' : os.userInfo().username;

let world: BackupWorld;
let env: Record<string, string>;
let folder: string;
let record: string;
let scratch: string;
beforeAll(async () => {
  world = await createBackupWorld();
  await shareInstance(world.sandbox.root, USER);
  ({ env } = await homeFor(USER));
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'scheduled-'));
  await fs.chmod(scratch, 0o755);
  const fake = await fakeSendmail(path.join(scratch, 'mta'));
  record = fake.record;
  folder = path.join(scratch, 'backups');
  await fs.mkdir(folder, { mode: 0o500 });
  await fs.chmod(folder, 0o500);
  if (isRoot) {
    const uid = Number((await execa('id', ['-u', USER])).stdout);
    await fs.chown(folder, uid, uid);
    await fs.chown(record, uid, uid);
  }
  env = { ...env, PATH: `${fake.bin}:/usr/sbin:/usr/bin:/sbin:/bin` };
});
afterAll(async () => {
  await world?.destroy();
  await fs.rm(scratch, { recursive: true, force: true });
});

const cli = (args: string[]) => runCliAs(USER, ['--catmaid-dir', world.sandbox.root, ...args], { env });

describe('a scheduled backup into a folder it cannot write', () => {
  it('fails, mails the reason through the local MTA, and turns backups --check CRITICAL', async () => {
    const run = await cli(['backup', '--scheduled', '--quiet', '--out', folder, '--mail-to', 'admin@example.org']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`backup folder ${folder} is not writable: permission denied`);
    expect(run.stderr).toMatch(/notified: mail to admin@example.org \(.*\/sendmail\)/);

    const mails = await sentMails(record);
    expect(mails).toHaveLength(1);
    expect(mails[0].args).toEqual(['-t', '-oi']);
    expect(mails[0].text).toMatch(/^To: admin@example.org\nSubject: catmaid-tui: scheduled backup of \S+ failed\n/);
    expect(mails[0].text).toContain(`backup folder ${folder} is not writable: permission denied`);

    const info = await cli(['info', '--json']);
    const notices = (JSON.parse(info.stdout) as { notices: { id: string; severity: string; text: string }[] }).notices;
    expect(notices.find((n) => n.id === 'backup.scheduled-failed')).toMatchObject({
      severity: 'fail',
      text: `last scheduled backup failed 0 min ago: backup folder ${folder} is not writable: permission denied; nothing was written`,
    });

    const check = await cli(['backups', '--check', '--out', folder]);
    expect(check.exitCode).toBe(2);
    expect(check.stdout).toMatch(new RegExp(`^BACKUP CRITICAL - last scheduled backup failed 0 min ago: backup folder ${folder} is not writable: permission denied`));
  });

  it('is OK again once the folder is fixed and the next scheduled run succeeds; a run by hand never mails', async () => {
    await fs.chmod(folder, 0o700);
    const run = await cli(['backup', '--scheduled', '--quiet', '--out', folder, '--mail-to', 'admin@example.org']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const check = await cli(['backups', '--check', '--out', folder]);
    expect(check.stdout).toMatch(/^BACKUP OK - newest verified backup 0 min old/);
    expect(check.exitCode).toBe(0);

    await fs.chmod(folder, 0o500);
    expect((await cli(['backup', '--quiet', '--out', folder])).exitCode).toBe(1);
    expect(await sentMails(record)).toHaveLength(1);
    expect((await cli(['backups', '--check', '--out', folder])).exitCode).toBe(0);
  });

  it('reports a failed copy like a failed backup (exit 1, the notify command told), and the next run copies what is missing', async () => {
    const said = path.join(scratch, 'said');
    await fs.mkdir(said, { mode: 0o777 });
    await fs.chmod(said, 0o777);
    const page = path.join(scratch, 'page.sh');
    await fs.writeFile(page, `#!/bin/sh\n{ printf '%s\\n' "$@"; echo "$CATMAID_TUI_RESULT: $CATMAID_TUI_REASON"; } > "${said}/page.txt"\n`, { mode: 0o755 });
    await fs.chmod(folder, 0o700);
    const blocked = path.join(scratch, 'not-a-folder');
    await fs.writeFile(blocked, 'in the way', { mode: 0o644 });
    const notify = JSON.stringify([page, '--severity', 'critical']);
    const run = await cli(['backup', '--scheduled', '--quiet', '--out', folder, '--copy-to', path.join(blocked, 'offsite'), '--notify-command', notify]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/copy to .*not-a-folder\/offsite: failed/);
    const page1 = await fs.readFile(path.join(said, 'page.txt'), 'utf8');
    expect(page1).toMatch(/^--severity\ncritical\nfailed: copy to .*not-a-folder\/offsite failed: /);
    expect(await sentMails(record)).toHaveLength(1); // the command instead of a mail
    expect((await cli(['backups', '--check', '--out', folder])).stdout).toMatch(/^BACKUP CRITICAL - last scheduled backup failed 0 min ago: copy to /);

    const offsite = path.join(scratch, 'offsite');
    await fs.mkdir(offsite, { mode: 0o777 });
    await fs.chmod(offsite, 0o777);
    const again = await cli(['backup', '--scheduled', '--quiet', '--out', folder, '--copy-to', offsite, '--notify-command', notify]);
    expect(again.exitCode).toBe(0);
    const dumps = (await fs.readdir(folder)).filter((n) => n.endsWith('.sql'));
    expect(dumps.length).toBeGreaterThanOrEqual(2);
    expect((await fs.readdir(offsite)).filter((n) => n.endsWith('.sql')).sort()).toEqual(dumps.sort());
    expect((await cli(['backups', '--check', '--out', folder])).exitCode).toBe(0);
  });
});
