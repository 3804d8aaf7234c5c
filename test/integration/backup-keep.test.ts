import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../src/tasks/backup/backup.js';
import { listBackups } from '../../src/tasks/backup/list.js';
import { createBackupWorld, listDir, type BackupWorld } from './backup-fixtures.js';

let world: BackupWorld;
beforeAll(async () => {
  world = await createBackupWorld();
});
afterAll(async () => {
  await world?.destroy();
});

describe('retention after a backup (--keep N)', () => {
  it('keeps the newest N verified backups and never touches hand-made dumps or leftovers', async () => {
    const folder = await world.folder();
    await fs.mkdir(folder, { recursive: true });
    await fs.writeFile(path.join(folder, 'by-hand.sql'), '-- mine\n');
    await fs.writeFile(path.join(folder, `${world.db.name}_202001010000_abcdef0.sql.partial`), 'cut');
    let clock = new Date(2026, 0, 1, 3, 0);
    const made: string[] = [];
    for (let night = 0; night < 4; night += 1) {
      clock = new Date(clock.getTime() + 86_400_000);
      const at = clock;
      const result = await runBackup({ db: world.db, outDir: folder, git: world.git, root: world.sandbox.root, retention: { last: 2 }, now: () => at });
      made.push(path.basename(result.path));
    }
    const names = await listDir(folder);
    expect(names).toEqual(
      [made[2], `${made[2]}.json`, made[3], `${made[3]}.json`, 'by-hand.sql', `${world.db.name}_202001010000_abcdef0.sql.partial`].sort(),
    );
    const states = (await listBackups(folder)).map((e) => [e.name, e.state]);
    // Newest first: the hand-made dump by its mtime (today), ours by their manifests, the leftover by its name.
    expect(states).toEqual([
      ['by-hand.sql', 'no-manifest'],
      [made[3], 'verified'],
      [made[2], 'verified'],
      [`${world.db.name}_202001010000_abcdef0.sql.partial`, 'partial'],
    ]);
  });
});
