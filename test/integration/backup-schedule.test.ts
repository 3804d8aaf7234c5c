import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cronLine, scheduledBackupArgs } from '../../src/tasks/backup/cron-line.js';
import { installCronLine, readCrontab, removeCronLine, writeCrontab } from '../../src/tasks/backup/crontab.js';
import { checkPgpass, installPgpass } from '../../src/tasks/backup/pgpass.js';
import { libpqEnv } from '../../src/tasks/db/connect.js';
import { pgBin } from '../../src/tasks/pg-bin.js';
import { holdCrontabs } from '../helpers/crontab-lock.js';
import { createBackupWorld, type BackupWorld } from './backup-fixtures.js';

/** A system account root may give a crontab; its own is put back after the test, whatever happens. */
const USER = 'nobody';
const THEIRS = 'MAILTO=""\n# their own job, which must survive\n17 4 * * 0 /bin/true weekly\n';

describe('the scheduled backup in a real crontab', () => {
  let saved: string | null;
  let release: (() => void) | undefined;
  beforeAll(async () => {
    release = await holdCrontabs([USER]);
    saved = await readCrontab(USER);
  });
  afterAll(async () => {
    if (!release) return;
    await writeCrontab(saved, USER);
    release();
  });

  const line = cronLine(
    '0 3 * * *',
    scheduledBackupArgs({ program: ['/usr/bin/node', '/opt/catmaid-tui/bin/catmaid-tui'], catmaidDir: '/srv/catmaid', outDir: '/srv/backups/%week', retention: { last: 7 } }),
    '/var/log/catmaid-tui-backup.log',
  );

  it('is installed once however often it is installed, and removing it restores the crontab exactly', async () => {
    await writeCrontab(THEIRS, USER);
    expect((await installCronLine('main', line, USER)).changed).toBe(true);
    expect((await installCronLine('main', line, USER)).changed).toBe(false);
    const installed = (await readCrontab(USER))!;
    expect(installed.split('\n').filter((l) => l.includes('catmaid-tui --catmaid-dir'))).toEqual([line]);
    expect(installed).toContain('/srv/backups/\\%week');
    expect(installed.startsWith(THEIRS)).toBe(true);
    expect((await removeCronLine('main', USER)).changed).toBe(true);
    expect(await readCrontab(USER)).toBe(THEIRS);
  });

  it('leaves no crontab at all when there was none before', async () => {
    await writeCrontab(null, USER);
    await installCronLine('main', line, USER);
    expect(await readCrontab(USER)).toContain(line);
    await removeCronLine('main', USER);
    expect(await readCrontab(USER)).toBeNull();
    expect((await removeCronLine('main', USER)).changed).toBe(false);
  });
});

describe('the .pgpass line', () => {
  let world: BackupWorld;
  beforeAll(async () => {
    world = await createBackupWorld();
  });
  afterAll(async () => {
    await world?.destroy();
  });

  it('lets libpq programs connect without any password in their environment', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pgpass-'));
    const file = path.join(dir, '.pgpass');
    await fs.writeFile(file, '# mine\nother.example.org:5432:*:someone:secret\n', { mode: 0o600 });
    await installPgpass(file, world.db);
    await installPgpass(file, world.db);
    expect((await fs.readFile(file, 'utf8')).split('\n').filter((l) => l.includes(world.db.user))).toHaveLength(1);
    expect(await checkPgpass(file, world.db)).toEqual({ usable: true, file });

    const env: NodeJS.ProcessEnv = { ...libpqEnv({ ...world.db, password: '' }), PGPASSFILE: file };
    delete env.PGPASSWORD;
    const run = await execa(pgBin('psql'), ['-X', '--no-password', '-tAc', 'SELECT current_user'], { env, extendEnv: false, reject: false });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(world.db.user);
    await fs.rm(dir, { recursive: true });
  });
});
