import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../src/tasks/backup/backup.js';
import { alive, processes, until } from '../helpers/procs.js';
import { changeData, createBackupWorld, dataState, type BackupWorld } from './backup-fixtures.js';

let world: BackupWorld;
beforeAll(async () => {
  world = await createBackupWorld();
});
afterAll(async () => {
  await world?.destroy();
});

const cli = (args: string[]) => world.cli(args);

/** Every process below `pid`, itself included. */
function tree(pid: number): number[] {
  const all = processes();
  const found = [pid];
  for (let i = 0; i < found.length; i += 1) found.push(...all.filter((p) => p.ppid === found[i]).map((p) => p.pid));
  return found;
}

describe('a restore cut off after its data committed, before the derived tables were rebuilt', () => {
  it('is said by info, info --json and the next backup, and `restore --rebuild-derived` mends it', async () => {
    const folder = await world.folder();
    const backup = await runBackup({ db: world.db, outDir: folder, git: world.git });
    const state = await dataState(world.db);
    await changeData(world.db);

    const run = cli(['restore', backup.path, '--yes', '--no-safety-backup']);
    // The rebuild is the last step: once its program runs, the restored data has committed.
    await until(() => (tree(run.pid!).some((pid) => processes().find((p) => p.pid === pid)?.argv.some((a) => a.includes('catmaid_rebuild'))) ? true : undefined), 'the rebuild to start', 60_000);
    const everyone = tree(run.pid!);
    for (const pid of everyone) process.kill(pid, 'SIGKILL');
    await run;
    await until(() => (everyone.some(alive) ? undefined : true), 'the restore and its rebuild to end');
    expect(await dataState(world.db)).toEqual({ ...state, edges: 0, linkEdges: 0, connectorGeoms: 0 });

    const info = await cli(['info']);
    expect(info.stdout).toMatch(/attention +✗ edge tables empty: rebuild .*\(catmaid-tui restore --rebuild-derived\)/);
    const json = JSON.parse((await cli(['info', '--json'])).stdout) as { notices: { id: string; command: string }[] };
    expect(json.notices).toContainEqual(expect.objectContaining({ id: 'restore.derived-tables-empty', command: 'catmaid-tui restore --rebuild-derived' }));

    const backedUp = await cli(['backup', '--out', folder, '--quiet']);
    expect(backedUp.exitCode).toBe(0);
    expect(backedUp.stderr).toMatch(/^warning: edge tables empty: rebuild .*: catmaid-tui restore --rebuild-derived$/m);

    const unasked = await cli(['restore', '--rebuild-derived']);
    expect(unasked.exitCode).toBe(3);
    expect(unasked.stderr).toMatch(/hint: .*--yes/);
    const rebuilt = await cli(['restore', '--rebuild-derived', '--yes']);
    expect(rebuilt.stderr).toBe('');
    expect(rebuilt.exitCode).toBe(0);
    expect(await dataState(world.db)).toEqual(state);
    expect((await cli(['info'])).stdout).not.toMatch(/edge tables empty/);
  });
});
