import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup, type BackupEvent } from '../../src/tasks/backup/backup.js';
import { readManifest } from '../../src/tasks/backup/manifest.js';
import { runRestore, type RestoreEvent } from '../../src/tasks/backup/restore.js';
import { changeData, createBackupWorld, dataState, listDir, type BackupWorld } from './backup-fixtures.js';

let world: BackupWorld;
beforeAll(async () => {
  world = await createBackupWorld();
});
afterAll(async () => {
  await world?.destroy();
});

describe.each(['sql', 'custom', 'directory'] as const)('a %s backup', (format) => {
  it('restores the data of the backup moment and rebuilds the edge table', async () => {
    const folder = await world.folder();
    const before = await dataState(world.db);
    expect(before.treenodes).toBeGreaterThan(1000);
    const events: BackupEvent[] = [];
    const backup = await runBackup({
      db: world.db,
      outDir: folder,
      git: world.git,
      format,
      jobs: format === 'directory' ? 2 : 1,
      onProgress: (e) => events.push(e),
      tickMs: 50,
    });

    expect(backup.path).toMatch(new RegExp(`/${world.db.name}_\\d{12}_${world.git.shortCommit}\\.(sql|dump|dir)$`));
    expect((await fs.stat(folder)).mode & 0o777).toBe(0o700);
    expect((await fs.stat(backup.path)).mode & 0o777).toBe(format === 'directory' ? 0o700 : 0o600);
    expect((await fs.stat(backup.manifestPath)).mode & 0o777).toBe(0o600);
    expect(await listDir(folder)).toEqual([backup.path.split('/').at(-1), backup.manifestPath.split('/').at(-1)].sort());
    const manifest = await readManifest(backup.path);
    expect(manifest).toMatchObject({
      state: 'ok',
      manifest: {
        verified: true,
        format,
        excludedTableData: ['treenode_edge', 'treenode_connector_edge', 'connector_geom', 'catmaid_stats_summary', 'catmaid_skeleton_summary'],
        commit: world.git.commit,
        database: world.db.name,
      },
    });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['started', 'progress', 'verifying', 'done']));

    await changeData(world.db);
    expect((await dataState(world.db)).treenodeChecksum).not.toBe(before.treenodeChecksum);

    const steps: RestoreEvent[] = [];
    const restored = await runRestore({
      db: world.db,
      file: backup.path,
      currentCommit: world.git.commit,
      allowVersionMismatch: false,
      confirmed: true,
      safetyBackup: { outDir: folder, git: world.git },
      python: world.info.layout.python,
      managePy: world.info.layout.managePy,
      onProgress: (e) => steps.push(e),
    });

    expect(await dataState(world.db)).toEqual(before);
    expect(restored.derived?.counts).toEqual([
      { table: 'treenode_edge', source: 'treenode', rows: before.treenodes, expected: before.treenodes },
      { table: 'treenode_connector_edge', source: 'treenode_connector', rows: before.links, expected: before.links },
      { table: 'connector_geom', source: 'connector', rows: before.connectors, expected: before.connectors },
    ]);
    expect(restored.safetyBackup).toMatch(/\.dump$/);
    const done = steps.filter((e) => e.type === 'step' && e.state === 'done').map((e) => (e as { step: string }).step);
    expect(done).toEqual(['verify', 'safety-backup', 'restore', 'rebuild-derived']);
  });
});
