import { closeSync, openSync, writeSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../src/tasks/backup/backup.js';
import { clientConfig } from '../../src/tasks/db/connect.js';
import type { CliError } from '../../src/tasks/errors.js';
import { until } from '../helpers/procs.js';
import { createBackupWorld, listDir, type BackupWorld } from './backup-fixtures.js';

/** The ordinary user who attacks root's backups (issue 12.6). */
const NOBODY = 65534;

let world: BackupWorld;
beforeAll(async () => {
  world = await createBackupWorld();
});
afterAll(async () => {
  await world?.destroy();
});

const isRoot = process.getuid?.() === 0;

describe('a backup folder another user could tamper with', () => {
  it.runIf(isRoot)("is refused when it belongs to another user (exit 3, one line, the fix in the hint), and nothing is written", async () => {
    const out = await world.folder();
    await fs.mkdir(out, { mode: 0o700 });
    await fs.chown(out, NOBODY, NOBODY);
    const run = await world.cli(['backup', '--out', out]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `catmaid-tui: backup folder ${out} belongs to uid ${NOBODY}, not to root (uid 0): another user could swap the dump for a link; nothing was written`,
      `  hint: chown root ${out} (and chmod 700), or choose another folder with --out DIR`,
    ]);
    expect(await listDir(out)).toEqual([]);
  });

  it('is refused when others may write in it', async () => {
    const out = await world.folder();
    await fs.mkdir(out);
    await fs.chmod(out, 0o777);
    const run = await world.cli(['backup', '--out', out]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(`catmaid-tui: backup folder ${out} is writable by other users (mode 777): another user could swap the dump for a link; nothing was written`);
    expect(run.stderr).toContain(`hint: chmod go-w ${out}`);
    expect(await listDir(out)).toEqual([]);
  });

  it('is refused when it is a symbolic link', async () => {
    const base = path.dirname(await world.folder());
    const real = path.join(base, 'real');
    await fs.mkdir(real, { mode: 0o700 });
    await fs.symlink(real, path.join(base, 'link'));
    const run = await world.cli(['backup', '--out', path.join(base, 'link')]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(`backup folder ${base}/link is a symbolic link`);
    expect(await listDir(real)).toEqual([]);
  });

  it.runIf(isRoot)('swapped for a link while the dump runs: the backup ends in the folder it opened, nothing reaches the link', async () => {
    // The folder is root's own (0700), but its parent belongs to the attacker, who can move the folder away.
    const parent = path.dirname(await world.folder());
    const attacker = path.join(parent, 'attacker');
    await fs.mkdir(attacker, { mode: 0o755 });
    await fs.chown(attacker, NOBODY, NOBODY);
    const out = path.join(attacker, 'backups');
    await fs.mkdir(out, { mode: 0o700 });
    const victim = path.join(parent, 'victim');
    await fs.mkdir(victim, { mode: 0o700 });

    const holder = new pg.Client(clientConfig(world.db));
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE connector IN ACCESS EXCLUSIVE MODE');
    const run = world.cli(['backup', '--out', out, '--json']);
    await until(async () => ((await listDir(out)).some((n) => n.endsWith('.partial')) ? true : undefined), 'the .partial');
    await fs.rename(out, path.join(attacker, 'moved'));
    await fs.symlink(victim, out);
    await holder.query('ROLLBACK');
    await holder.end();
    const result = await run;

    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(await listDir(victim)).toEqual([]);
    const moved = await listDir(path.join(attacker, 'moved'));
    expect(moved).toHaveLength(2);
    expect(moved.every((name) => !name.endsWith('.partial'))).toBe(true);
  });
});

describe('a disk that fills up while the manifest is written', () => {
  it.runIf(isRoot)('says which file, and leaves neither the dump nor half a manifest', async () => {
    const out = await world.folder();
    await fs.mkdir(out, { mode: 0o700 });
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0700', 'tmpfs', out]);
    try {
      // Right after the dump, before its manifest: every byte left goes to a file of its own.
      const fill = () => {
        const fd = openSync(path.join(out, 'filler'), 'a');
        try {
          for (;;) writeSync(fd, Buffer.alloc(64 * 1024));
        } catch {
          // ENOSPC: the disk is full now.
        } finally {
          closeSync(fd);
        }
      };
      const err = await runBackup({ db: world.db, outDir: out, git: world.git, onProgress: (event) => event.type === 'verifying' && fill() }).then(
        () => null,
        (e: unknown) => e as CliError,
      );
      expect(err?.exitCode).toBe(1);
      expect(err?.message).toMatch(new RegExp(`^cannot write the manifest ${out}/${world.db.name}_\\d{12}_\\w+\\.sql\\.json: no space left on device; the backup was removed$`));
      expect(await listDir(out)).toEqual(['filler']);
    } finally {
      await execa('umount', [out]);
    }
  });
});
