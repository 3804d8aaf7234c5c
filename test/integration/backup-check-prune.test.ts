import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../src/tasks/backup/backup.js';
import { readManifest, writeManifest } from '../../src/tasks/backup/manifest.js';
import { pinBackup } from '../../src/tasks/backup/pins.js';
import { createBackupWorld, listDir, type BackupWorld } from './backup-fixtures.js';

let world: BackupWorld;
beforeAll(async () => {
  world = await createBackupWorld();
});
afterAll(async () => {
  await world?.destroy();
});

describe('backups --check', () => {
  it('is CRITICAL without a backup, OK after one, writes Prometheus metrics, and UNKNOWN on bad flags', async () => {
    const folder = await world.folder();
    const none = await world.cli(['backups', '--check', '--out', folder]);
    expect(none.exitCode).toBe(2);
    expect(none.stdout).toBe('BACKUP CRITICAL - no verified backup of this database | age=Us;;93600;0 size=UB;;;0 verified_backups=0;;;0');

    expect((await world.cli(['backup', '--quiet', '--out', folder])).exitCode).toBe(0);
    const prom = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'textfile-')), 'catmaid.prom');
    const ok = await world.cli(['backups', '--check', '--out', folder, '--prometheus', prom]);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/^BACKUP OK - newest verified backup 0 min old, [\d.]+ [kM]B \| age=\d+s;;93600;0 size=\d+B;;;0 verified_backups=1;;;0$/);
    const metrics = await fs.readFile(prom, 'utf8');
    expect(metrics).toMatch(/\ncatmaid_tui_backup_check_status\{catmaid="[^"]+",database="[^"]+"\} 0\n/);
    expect(metrics).toMatch(/catmaid_tui_backup_verified_count\{[^}]+\} 1\n/);

    const json = await world.cli(['backups', '--check', '--json', '--out', folder, '--max-age', '1s', '--warn-age', '1']);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: expect.stringMatching(/OK|CRITICAL/), exitCode: json.exitCode, verifiedCount: 1 });

    for (const bad of [['--max-age', 'soon'], ['--min-size-ratio', '2'], ['--no-such-flag']]) {
      const run = await world.cli(['backups', '--check', '--out', folder, ...bad]);
      expect(run.exitCode, bad.join(' ')).toBe(3);
      expect(run.stdout).toMatch(/^BACKUP UNKNOWN - /);
    }
  });
});

describe('backups prune', () => {
  it('keeps exactly the expected files: pinned, hand-made, foreign and unverified ones are never touched', async () => {
    const folder = await world.folder();
    const made: string[] = [];
    for (let day = 1; day <= 5; day += 1) {
      const at = new Date(2026, 0, day, 3, 0);
      made.push((await runBackup({ db: world.db, outDir: folder, git: world.git, root: world.sandbox.root, now: () => at })).path);
    }
    // made[0] is an update's pre-update backup, made[1] the last restore-tested one.
    await pinBackup(world.sandbox.root, made[0], 'update', 'pre-update backup of the update started 2026-01-01');
    await pinBackup(world.sandbox.root, made[1], 'restore-test', 'last restore-tested backup');
    await fs.writeFile(path.join(folder, 'by-hand.sql'), '-- mine\n');
    // Another instance's backup that landed in the same folder: its manifest names that instance.
    const foreign = path.join(folder, `${world.db.name}_202501010300_abcdef0.sql`);
    await fs.copyFile(made[2], foreign);
    const reading = await readManifest(made[2]);
    if (reading.state !== 'ok') throw new Error('no manifest');
    await writeManifest(foreign, { ...reading.manifest, file: path.basename(foreign), instance: { root: '/srv/other', key: 'ffffffffffff' } });
    const before = await listDir(folder);

    const dry = await world.cli(['backups', 'prune', '--keep', '1', '--dry-run', '--out', folder]);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain('dry run: nothing removed');
    expect(dry.stdout).toMatch(new RegExp(`remove  ${path.basename(made[2])}  \\(beyond keep newest 1\\)`));
    expect(dry.stdout).toMatch(new RegExp(`leave   ${path.basename(made[0])}  \\(pinned \\(update\\)`));
    expect(await listDir(folder)).toEqual(before);

    const unasked = await world.cli(['backups', 'prune', '--keep', '1', '--out', folder]);
    expect(unasked.exitCode).toBe(3);
    expect(await listDir(folder)).toEqual(before);

    const pruned = await world.cli(['backups', 'prune', '--keep', '1', '--yes', '--json', '--out', folder]);
    expect(pruned.exitCode).toBe(0);
    const result = JSON.parse(pruned.stdout) as { removed: string[] };
    expect(result.removed.sort()).toEqual([made[2], made[3]].sort());
    const left = [made[0], made[1], made[4], foreign].flatMap((f) => [path.basename(f), `${path.basename(f)}.json`]);
    expect(await listDir(folder)).toEqual([...left, 'by-hand.sql'].sort());

    const logs = path.join(world.env.XDG_STATE_HOME, 'catmaid-tui', 'logs');
    const log = await fs.readFile(path.join(logs, (await fs.readdir(logs)).filter((n) => n.endsWith('-prune.log')).sort().at(-1)!), 'utf8');
    for (const file of result.removed) expect(log).toContain(`retention (keep newest 1): removed ${file}`);

    expect((await world.cli(['backups', 'prune', '--out', folder])).exitCode).toBe(2);
  });
});
