import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCrontab, writeCrontab } from '../../src/tasks/backup/crontab.js';
import { checkScheduledPassword } from '../../src/tasks/backup/pgpass.js';
import { libpqEnv } from '../../src/tasks/db/connect.js';
import { pgBin } from '../../src/tasks/pg-bin.js';
import { homeFor, isRoot, runCliAs, shareInstance, TEST_USERS } from '../helpers/as-user.js';
import { holdCrontabs } from '../helpers/crontab-lock.js';
import { createBackupWorld, type BackupWorld } from './backup-fixtures.js';

let world: BackupWorld;
beforeAll(async () => {
  world = await createBackupWorld();
});
afterAll(async () => {
  await world?.destroy();
});

const THEIRS = 'MAILTO=""\n# their own job, which must survive\n17 4 * * 0 /bin/true weekly\n';
const crontabUser = (user: string) => (isRoot ? user : undefined);

/** Files in the copies folders of catmaid-tui's state folder under `home`. */
async function copies(home: string): Promise<string[]> {
  const entries = await fs.readdir(path.join(home, 'state'), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && path.basename(e.parentPath) === 'copies').map((e) => path.join(e.parentPath, e.name));
}

describe.each(TEST_USERS)('as %s, from a script', (user) => {
  let home: string;
  let env: Record<string, string>;
  let saved: string | null;
  let release: (() => void) | undefined;
  const cli = (args: string[]) => runCliAs(user, ['--catmaid-dir', world.sandbox.root, ...args], { env });
  beforeAll(async () => {
    ({ home, env } = await homeFor(user));
    await shareInstance(world.sandbox.root, user);
    release = await holdCrontabs([user]);
    saved = await readCrontab(crontabUser(user));
  });
  afterAll(async () => {
    if (release) {
      await writeCrontab(saved, crontabUser(user));
      release();
    }
    await fs.rm(home, { recursive: true, force: true });
  });

  it('schedule backup --install asks first (exit 3 without --yes), installs once, keeps a copy of the crontab it replaced', async () => {
    await writeCrontab(THEIRS, crontabUser(user));
    const unasked = await cli(['schedule', 'backup', '--install', '--keep', '7']);
    expect(unasked.exitCode).toBe(3);
    expect(unasked.stderr).toMatch(/not confirmed: Add a scheduled backup of .* to the crontab of .*\n {2}hint: .*--yes/);
    expect(await readCrontab(crontabUser(user))).toBe(THEIRS);

    const installed = await cli(['schedule', 'backup', '--install', '--keep', '7', '--yes']);
    expect(installed.exitCode).toBe(0);
    expect(installed.stdout).toMatch(/^installed in the crontab of \S+ \(the crontab as it was is kept in \S+\):\n0 3 \* \* \* .* backup --scheduled --quiet --out \S+ --keep 7 >> /);
    const [copy] = await copies(home);
    expect(await fs.readFile(copy, 'utf8')).toBe(THEIRS);
    expect((await fs.stat(copy)).mode & 0o777).toBe(0o600);
    const again = await cli(['schedule', 'backup', '--install', '--keep', '7', '--yes']);
    expect(again.stdout).toMatch(/^already in the crontab/);
    const crontab = (await readCrontab(crontabUser(user)))!;
    expect(crontab.startsWith(THEIRS)).toBe(true);
    expect(crontab.split('\n').filter((l) => l.includes(' backup --scheduled --quiet '))).toHaveLength(1);
  });

  it('schedule backup warns about .pgpass only when settings.py does not hold the password itself', async () => {
    // settings.py of the sandbox holds it as a plain value: the scheduled run hands it to pg_dump, .pgpass or not.
    await fs.rm(env.PGPASSFILE, { force: true });
    const shown = await cli(['schedule', 'backup', '--print', '--json']);
    expect(shown.exitCode).toBe(0);
    expect(shown.stderr).not.toMatch(/\.pgpass/);
    expect((JSON.parse(shown.stdout) as { pgpass: unknown }).pgpass).toEqual({ usable: true, file: env.PGPASSFILE, fromSettings: true });
    // A password Django computes (here: another than the plain one in the file) may be missing under cron.
    const computed = await checkScheduledPassword(env.PGPASSFILE, { ...world.db, password: 'from-the-environment' }, world.info.layout);
    expect(computed).toEqual({ usable: false, file: env.PGPASSFILE, reason: `${env.PGPASSFILE} does not exist` });
  });

  it('schedule backup --remove asks first, then gives back the crontab as it was', async () => {
    expect((await cli(['schedule', 'backup', '--remove'])).exitCode).toBe(3);
    const removed = await cli(['schedule', 'backup', '--remove', '--yes']);
    expect(removed.exitCode).toBe(0);
    expect(removed.stdout).toMatch(/^removed the scheduled backup of .* from the crontab \(the crontab as it was is kept in /);
    expect(await readCrontab(crontabUser(user))).toBe(THEIRS);
    expect((await cli(['schedule', 'backup', '--remove', '--yes'])).stdout).toMatch(/no scheduled backup was installed/);
  });

  it('schedule backup --systemd prints a service and a timer', async () => {
    const units = await cli(['schedule', 'backup', '--systemd', '--at', '30 2 * * 1-5']);
    expect(units.exitCode).toBe(0);
    expect(units.stdout).toMatch(/^# \/etc\/systemd\/system\/catmaid-tui-backup-\S+\.service\n\[Unit\]\n/);
    expect(units.stdout).toMatch(/\nExecStart=(?:\S+ )?\S+ --catmaid-dir \S+ backup --scheduled --quiet --out \S+\n/);
    expect(units.stdout).toMatch(/\nOnCalendar=Mon\.\.Fri \*-\*-\* 02:30:00\n/);
  });

  it('a newline in --out never reaches a crontab line or a unit: exit 2, nothing installed', async () => {
    const evil = `${home}/b\n* * * * * /bin/sh -c 'touch /tmp/pwned'`;
    for (const how of ['--print', '--install', '--systemd']) {
      const run = await cli(['schedule', 'backup', how, '--out', evil, '--yes']);
      expect(run.exitCode, how).toBe(2);
      expect(run.stderr).toMatch(/catmaid-tui: .* has a newline or another control character/);
      expect(run.stdout).toBe('');
    }
    expect(await readCrontab(crontabUser(user))).toBe(THEIRS);
  });

  it('pgpass --print prints the line; --install asks, writes it 0600 with a copy of the old file, and libpq uses it', async () => {
    const printed = await cli(['pgpass', '--print']);
    expect(printed.exitCode).toBe(0);
    expect(printed.stdout).toBe(`${world.db.host}:${world.db.port}:${world.db.name}:${world.db.user}:${world.db.password}`);

    const file = env.PGPASSFILE;
    await fs.writeFile(file, `# mine\n${world.db.host}:${world.db.port}:${world.db.name}:${world.db.user}:an-old-password\n`, { mode: 0o600 });
    if (user !== 'root' && isRoot) await execa('chown', [user, file]);
    expect((await cli(['pgpass', '--install'])).exitCode).toBe(3);
    const installed = await cli(['pgpass', '--install', '--yes']);
    expect(installed.exitCode).toBe(0);
    expect(installed.stdout).toMatch(/^wrote the line for .* \(mode 0600\); the file as it was is kept in \S+/);
    expect(await fs.readFile(file, 'utf8')).toBe(`# mine\n${printed.stdout}\n`);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect((await copies(home)).map((c) => path.basename(c))).toContainEqual(expect.stringMatching(/^_pgpass~/));

    const psql = await execa(pgBin('psql'), ['-X', '--no-password', '-tAc', 'SELECT current_user'], {
      env: { ...libpqEnv({ ...world.db, password: '' }, {}), PGPASSFILE: file },
      extendEnv: false,
      reject: false,
    });
    expect(psql.stderr).toBe('');
    expect(psql.stdout.trim()).toBe(world.db.user);
  });
});
