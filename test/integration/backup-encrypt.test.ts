import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGE_HEADER } from '../../src/tasks/backup/age.js';
import { runBackup } from '../../src/tasks/backup/backup.js';
import { contentsOf } from '../../src/tasks/backup/contents.js';
import { DUMP_COMPLETE_MARKER } from '../../src/tasks/backup/verify.js';
import { changeData, createBackupWorld, dataState, type BackupWorld } from './backup-fixtures.js';

let world: BackupWorld;
let keys: string;
let recipient: string;
beforeAll(async () => {
  world = await createBackupWorld();
  keys = await fs.mkdtemp(path.join(os.tmpdir(), 'age-keys-'));
  await execa('age-keygen', ['-o', path.join(keys, 'identity.txt')]);
  recipient = (await execa('age-keygen', ['-y', path.join(keys, 'identity.txt')])).stdout.trim();
});
afterAll(async () => {
  await world?.destroy();
  await fs.rm(keys, { recursive: true, force: true });
});

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('an encrypted backup', () => {
  it('is age ciphertext on disk, its sha256 in the manifest, and decrypts to a complete dump of the recorded cleartext', async () => {
    const folder = await world.folder();
    const result = await runBackup({ db: world.db, outDir: folder, git: world.git, root: world.sandbox.root, encryptTo: [recipient] });
    expect(result.path).toMatch(/\.sql\.age$/);
    const file = await fs.readFile(result.path);
    expect(file.subarray(0, AGE_HEADER.length).toString()).toBe(AGE_HEADER);
    expect(file.includes(Buffer.from('COPY public.treenode'))).toBe(false);
    expect(result.manifest).toMatchObject({ sha256: sha256(file), sizeBytes: file.length, encryption: { tool: 'age', recipients: [recipient] } });
    expect(await fs.readdir(folder)).toEqual([path.basename(result.path), `${path.basename(result.path)}.json`].sort());

    const clear = (await execa('age', ['-d', '-i', path.join(keys, 'identity.txt'), result.path], { encoding: 'buffer', stripFinalNewline: false })).stdout as Uint8Array;
    expect(sha256(Buffer.from(clear))).toBe(result.manifest.encryption!.plainSha256);
    expect(Buffer.from(clear).toString()).toContain(DUMP_COMPLETE_MARKER);
  });

  it('as a custom archive is read back by pg_restore on its way to age, and a recipients file works', async () => {
    const folder = await world.folder();
    const file = path.join(keys, 'recipients.txt');
    await fs.writeFile(file, `# the backup key\n${recipient}\n`);
    const result = await runBackup({ db: world.db, outDir: folder, git: world.git, root: world.sandbox.root, format: 'custom', encryptTo: [file] });
    expect(result.path).toMatch(/\.dump\.age$/);
    expect(result.manifest.encryption?.recipients).toEqual([recipient]);
    const clear = await execa('age', ['-d', '-i', path.join(keys, 'identity.txt'), result.path], { encoding: 'buffer' });
    expect(Buffer.from(clear.stdout as Uint8Array).subarray(0, 5).toString()).toBe('PGDMP');
  });

  it('records row counts and checksums of the dumped snapshot in the manifest', async () => {
    const folder = await world.folder();
    const result = await runBackup({ db: world.db, outDir: folder, git: world.git, root: world.sandbox.root });
    const now = await contentsOf(world.db);
    expect(result.manifest.contents).toEqual(now);
    expect(result.manifest.contents?.tables.treenode.rows).toBeGreaterThan(0);
  });

  it('is refused for a directory dump and for a recipient that is none, before anything is written', async () => {
    const folder = await world.folder();
    await expect(runBackup({ db: world.db, outDir: folder, git: world.git, format: 'directory', encryptTo: [recipient] })).rejects.toThrow(/needs --format sql or custom/);
    await expect(runBackup({ db: world.db, outDir: folder, git: world.git, encryptTo: ['age1nope'] })).rejects.toThrow(/is not a recipient/);
    expect(await fs.readdir(folder).catch(() => [])).toEqual([]);
  });

});

describe('restoring an encrypted backup', () => {
  for (const format of ['sql', 'custom'] as const) {
    it(`(${format}) works with the identity, and neither without it nor with another one; the database is untouched until then`, async () => {
      const folder = await world.folder();
      const identity = path.join(keys, 'identity.txt');
      const other = path.join(keys, `other-${format}.txt`);
      await execa('age-keygen', ['-o', other]);
      await fs.chmod(identity, 0o600);
      const backup = await runBackup({ db: world.db, outDir: folder, git: world.git, root: world.sandbox.root, format, encryptTo: [recipient] });
      const before = await dataState(world.db);
      await changeData(world.db);
      const changed = await dataState(world.db);

      const without = await world.cli(['restore', backup.path, '--yes', '--no-safety-backup']);
      expect(without.exitCode).toBe(2);
      expect(without.stderr).toContain('is encrypted (age); the database was not touched');
      const wrong = await world.cli(['restore', backup.path, '--yes', '--no-safety-backup', '--identity', other]);
      expect(wrong.exitCode).toBe(1);
      expect(wrong.stderr).toMatch(/cannot decrypt .* no identity matched/);
      expect(await dataState(world.db)).toEqual(changed);

      const right = await world.cli(['restore', backup.path, '--yes', '--no-safety-backup', '--identity', identity]);
      expect(right.stderr.split('\n').filter((l) => /error/i.test(l))).toEqual([]);
      expect(right.exitCode).toBe(0);
      expect(await dataState(world.db)).toEqual(before);

      const tested = await world.cli(['backup', 'verify', backup.path, '--restore-test', '--identity', identity]);
      expect(tested.stdout).toMatch(/restore test passed/);
      expect(tested.exitCode).toBe(0);
    });
  }
});
