import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../src/tasks/backup/backup.js';
import { clientConfig } from '../../src/tasks/db/connect.js';
import { changeData, createBackupWorld, dataState, listDir, type BackupWorld } from './backup-fixtures.js';

let world: BackupWorld;
beforeAll(async () => {
  world = await createBackupWorld();
});
afterAll(async () => {
  await world?.destroy();
});

const cli = (args: string[]) => world.cli(args);

describe('backup and restore from a script', () => {
  it('backs up, lists, refuses an unconfirmed restore (exit 3) and restores with --yes', async () => {
    const out = await world.folder();
    const made = await cli(['backup', '--out', out, '--json']);
    expect(made.stderr).toBe('');
    expect(made.exitCode).toBe(0);
    const result = JSON.parse(made.stdout) as { path: string; manifest: { verified: boolean } };
    expect(result.manifest.verified).toBe(true);

    const listed = await cli(['backups', '--out', out]);
    expect(listed.stdout).toContain(path.basename(result.path));
    expect(listed.stdout).toMatch(/verified\s+\d+ min/);

    const state = await dataState(world.db);
    await changeData(world.db);
    const changed = await dataState(world.db);
    const refused = await cli(['restore', result.path]);
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toMatch(/catmaid-tui: restoring replaces everything in database .*\n {2}hint: confirm with --yes/);
    expect(await dataState(world.db)).toEqual(changed);

    const restored = await cli(['restore', result.path, '--yes']);
    expect(restored.exitCode).toBe(0);
    expect(restored.stdout).toMatch(/^restored .* into catmaid\nsafety backup: .*\.dump\nleft out .*extension postgis.*\nderived tables rebuilt \((manage\.py|sql)\): treenode_edge \d+ · treenode_connector_edge \d+ · connector_geom \d+$/);
    expect(await dataState(world.db)).toEqual(state);
  });

  it('into a folder that cannot be made: exit 1, one clear line and its hint, nothing written', async () => {
    const base = path.dirname(await world.folder());
    fs.writeFileSync(path.join(base, 'file'), 'x');
    const failed = await cli(['backup', '--out', path.join(base, 'file', 'backups')]);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr.trimEnd().split('\n')).toEqual([
      `catmaid-tui: backup folder ${base}/file/backups is not writable: a file is in the way; nothing was written`,
      '  hint: choose another folder with --out DIR, or fix its permissions',
    ]);
    expect(fs.readdirSync(base)).toEqual(['file']);
  });

  it('stopped by SIGTERM while pg_dump runs: exit 1, no dump and no .partial left', async () => {
    const out = await world.folder();
    const holder = new pg.Client(clientConfig(world.db));
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE connector IN ACCESS EXCLUSIVE MODE');
    const run = cli(['backup', '--out', out]);
    for (let i = 0; i < 200 && !(await listDir(out)).some((n) => n.endsWith('.partial')); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await listDir(out)).some((n) => n.endsWith('.partial'))).toBe(true);
    run.kill('SIGTERM');
    const result = await run;
    await holder.query('ROLLBACK');
    await holder.end();
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/catmaid-tui: backup interrupted; the unfinished dump was removed/);
    expect(await listDir(out)).toEqual([]);
  });

  it('schedules: a bad --at is bad input (exit 2); --print shows the line and the next three runs', async () => {
    const bad = await cli(['schedule', 'backup', '--at', '0 0 3 * * *']);
    expect(bad.exitCode).toBe(2);
    const shown = await cli(['schedule', 'backup', '--print', '--keep', '3']);
    expect(shown.exitCode).toBe(0);
    const [line, runs] = shown.stdout.split('\n');
    expect(line).toMatch(new RegExp(`^0 3 \\* \\* \\* \\S+node \\S+ --catmaid-dir ${world.sandbox.root} backup --quiet --out \\S+ --keep 3 >> \\S+\\.log 2>&1$`));
    expect(runs.split(' · ')).toHaveLength(3);
  });
});

describe('a backup that starts before Django has read the settings', () => {
  it.each([
    ['a database that does not exist', { name: 'not_this_one' }],
    ['another database that exists', { name: 'postgres' }],
    ['another password', { password: 'stale' }],
  ])('dumps the database Django names when the early static reading named %s', async (_what, wrong) => {
    const out = await world.folder();
    const result = await runBackup({ db: { ...world.db, ...wrong }, confirmDb: Promise.resolve(world.db), outDir: out, git: world.git });
    expect(result.manifest.database).toBe(world.db.name);
    expect(await listDir(out)).toEqual([path.basename(result.path), path.basename(result.manifestPath)].sort());
  });
});
