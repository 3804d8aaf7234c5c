import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSql } from '../../src/sandbox/index.js';
import { createBackupWorld, listDir, type BackupWorld } from './backup-fixtures.js';

/** A database whose name, as settings.py gives it, is a path that climbs out of the backup folder. */
const HOSTILE = '../../x/pwn';

let world: BackupWorld;
beforeAll(async () => {
  world = await createBackupWorld();
  await sandboxSql(world.sandbox.dir, `CREATE DATABASE "${HOSTILE}" OWNER ${world.db.user};`);
  const settings = path.join(world.sandbox.root, 'django', 'projects', 'mysite', 'settings.py');
  const text = await fs.readFile(settings, 'utf8');
  await fs.writeFile(settings, text.replace(`'NAME': '${world.db.name}'`, `'NAME': '${HOSTILE}'`));
});
afterAll(async () => {
  await world?.destroy();
});

describe('a database name from settings.py that is not a safe file name', () => {
  it('reaches the backup folder only as a safe name; the manifest and `backups` keep the real one', async () => {
    const out = await world.folder();
    const made = await world.cli(['backup', '--out', out, '--json']);
    expect(made.stderr).toBe('');
    expect(made.exitCode).toBe(0);
    const result = JSON.parse(made.stdout) as { path: string; manifest: { database: string } };
    expect(path.dirname(result.path)).toBe(out);
    expect(path.basename(result.path)).toMatch(/^__\.\._x_pwn~[0-9a-f]{8}_\d{12}_[0-9a-f]+\.sql$/);
    expect(result.manifest.database).toBe(HOSTILE);
    expect(await listDir(path.dirname(out))).toEqual(['backups']);

    const listed = await world.cli(['backups', '--out', out]);
    expect(listed.stdout.split('\n')[2]).toMatch(new RegExp(`^verified .* sql +${HOSTILE.replace(/\./g, '\\.')} +`));
  });
});
