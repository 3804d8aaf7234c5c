import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homeFor, isRoot, runCliAs, shareInstance } from '../helpers/as-user.js';
import { changeData, createBackupWorld, dataState, type BackupWorld } from './backup-fixtures.js';

/**
 * The superuser, offered and never required: root on the database host reaches it through runuser and peer
 * authentication. backup --globals keeps the roles; restore --as-superuser can rebuild a cluster without them.
 */
let world: BackupWorld;
beforeAll(async () => {
  world = await createBackupWorld();
});
afterAll(async () => {
  await world?.destroy();
});

describe.runIf(isRoot)('as root on the database host', () => {
  it('backup --globals writes the roles next to the dump, owner-only, recorded in the manifest', async () => {
    const out = await world.folder();
    const made = await world.cli(['backup', '--out', out, '--globals', '--json']);
    expect(made.stderr).toBe('');
    const { path: dump, manifest } = JSON.parse(made.stdout) as { path: string; manifest: { globals: { file: string; sha256: string } } };
    const globals = path.join(out, manifest.globals.file);
    expect(manifest.globals.file).toBe(`${path.basename(dump)}.globals`);
    expect((await fs.stat(globals)).mode & 0o777).toBe(0o600);
    expect(await fs.readFile(globals, 'utf8')).toMatch(new RegExp(`^CREATE ROLE ${world.db.user};$`, 'm'));
  });

  it('restore --as-superuser restores what the role may not (a schema of the superuser)', async () => {
    await world.sql(`CREATE SCHEMA admin; CREATE TABLE admin.notes (note text);`);
    const file = path.join(path.dirname(await world.folder()), 'superuser.dump');
    await world.superuserDump(['-Fc', '--clean', '-f', file]);
    const before = await dataState(world.db);
    await changeData(world.db);
    const asRole = await world.cli(['restore', file, '--yes', '--no-safety-backup']);
    expect(asRole.exitCode).toBe(1);
    const asSuperuser = await world.cli(['restore', file, '--yes', '--no-safety-backup', '--as-superuser']);
    expect(asSuperuser.stderr).not.toMatch(/catmaid-tui:/);
    expect(asSuperuser.exitCode).toBe(0);
    expect(await dataState(world.db)).toEqual(before);
    expect((await world.sql(`SELECT rolsuper FROM pg_roles WHERE rolname = '${world.db.user}'`)).trim()).toBe('f');
    // The role cannot dump a schema of the superuser: the next backups would fail.
    await world.sql('DROP SCHEMA admin CASCADE;');
  });

  it('into a cluster without the role and the database, recreates both from the backup and its globals', async () => {
    const out = await world.folder();
    const backup = await world.cli(['backup', '--out', out, '--globals', '--json', '--format', 'custom']);
    expect(backup.stderr).toBe('');
    const made = JSON.parse(backup.stdout) as { path: string };
    const before = await dataState(world.db);
    await world.sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${world.db.name}' AND pid <> pg_backend_pid();`);
    await world.superuserScript(`DROP DATABASE ${world.db.name} WITH (FORCE);\nDROP ROLE ${world.db.user};\n`);

    const restored = await world.cli(['restore', made.path, '--yes', '--as-superuser']);
    expect(restored.stderr).not.toMatch(/catmaid-tui:/);
    expect(restored.exitCode).toBe(0);
    expect(restored.stdout).toMatch(new RegExp(`as the superuser: role ${world.db.user} created from .*\\.globals\\nas the superuser: database ${world.db.name} created, owned by ${world.db.user}`));
    expect(await dataState(world.db)).toEqual(before);
    expect((await world.sql(`SELECT rolsuper FROM pg_roles WHERE rolname = '${world.db.user}'`)).trim()).toBe('f');
  });
});

describe('as an ordinary user', () => {
  it('backup --globals and restore --as-superuser are refused (exit 3) and say why', async () => {
    const user = isRoot ? 'nobody' : os.userInfo().username;
    await shareInstance(world.sandbox.root, user);
    const { home, env } = await homeFor(user);
    const run = (args: string[]) => runCliAs(user, ['--catmaid-dir', world.sandbox.root, ...args], { env });
    const backup = await run(['backup', '--out', path.join(home, 'b'), '--globals']);
    expect(backup.exitCode).toBe(3);
    expect(backup.stderr).toMatch(/catmaid-tui: the superuser is reached through root \(runuser -u postgres\): catmaid-tui does not run as root/);
    const restore = await run(['restore', path.join(home, 'any.dump'), '--as-superuser', '--yes']);
    expect(restore.exitCode).toBe(3);
    expect(restore.stderr).toMatch(/does not run as root\n {2}hint: restore as the CATMAID role \(without --as-superuser\)/);
    await fs.rm(home, { recursive: true, force: true });
  });
});
