import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup, type BackupResult } from '../../src/tasks/backup/backup.js';
import { copyBackup, copyToAll, PARTIAL_DIR } from '../../src/tasks/backup/copy.js';
import { readManifest } from '../../src/tasks/backup/manifest.js';
import { startPrivateSshd, type PrivateSshd } from '../helpers/private-sshd.js';
import { createBackupWorld, listDir, type BackupWorld } from './backup-fixtures.js';

let world: BackupWorld;
let plain: BackupResult;
let directory: BackupResult;
let sshd: PrivateSshd | null;
beforeAll(async () => {
  world = await createBackupWorld();
  plain = await runBackup({ db: world.db, outDir: await world.folder(), git: world.git, root: world.sandbox.root });
  directory = await runBackup({ db: world.db, outDir: await world.folder(), git: world.git, root: world.sandbox.root, format: 'directory' });
  sshd = await startPrivateSshd();
});
afterAll(async () => {
  await sshd?.stop();
  await world?.destroy();
});

const sha256 = async (file: string) => createHash('sha256').update(await fs.readFile(file)).digest('hex');
const copies = async (dump: string) => {
  const reading = await readManifest(dump);
  return reading.state === 'ok' ? (reading.manifest.copies ?? []) : [];
};

describe('--copy-to a second folder', () => {
  it('copies the dump and then its manifest, verified there, and records the copy', async () => {
    const dest = path.join(await world.folder(), 'offsite');
    const record = await copyBackup(plain.path, dest);
    const name = path.basename(plain.path);
    expect(await listDir(dest)).toEqual([name, `${name}.json`]);
    expect(await sha256(path.join(dest, name))).toBe(plain.manifest.sha256);
    expect((await fs.stat(path.join(dest, name))).mode & 0o777).toBe(0o600);
    expect(record).toMatchObject({ destination: dest, path: path.join(dest, name), sha256: plain.manifest.sha256, sizeBytes: plain.manifest.sizeBytes });
    expect(await copies(plain.path)).toEqual([record]);
  });

  it('goes on from a transfer that was cut off', async () => {
    const dest = path.join(await world.folder(), 'offsite');
    const name = path.basename(plain.path);
    await fs.mkdir(path.join(dest, PARTIAL_DIR), { recursive: true });
    const whole = await fs.readFile(plain.path);
    await fs.writeFile(path.join(dest, PARTIAL_DIR, name), whole.subarray(0, Math.floor(whole.length / 2)));
    const said: string[] = [];
    const log = { path: '', line: (t: string) => said.push(t), command: () => undefined, output: (t: string) => said.push(t), redact: () => undefined, close: () => undefined };
    await copyBackup(plain.path, dest, { log });
    // rsync's --stats: the half that was there already was not sent again.
    const matched = Number(/Matched data: ([\d,.]+) bytes/.exec(said.join('\n'))?.[1].replace(/[,.]/g, ''));
    expect(matched).toBeGreaterThan(whole.length / 4);
    expect(await sha256(path.join(dest, name))).toBe(plain.manifest.sha256);
    expect(await listDir(path.join(dest, PARTIAL_DIR)).catch(() => [])).toEqual([]);
  });

  it('notices a copy that differs although rsync thought it the same (size and time kept), removes it, and copies again', async () => {
    const dest = path.join(await world.folder(), 'offsite');
    const name = path.basename(plain.path);
    await copyBackup(plain.path, dest);
    const copy = path.join(dest, name);
    const stat = await fs.stat(copy);
    const bytes = await fs.readFile(copy);
    bytes[bytes.length - 100] ^= 0x20;
    await fs.writeFile(copy, bytes);
    await fs.utimes(copy, stat.atime, stat.mtime);
    const [outcome] = await copyToAll(plain.path, [dest]);
    expect(outcome).toEqual({ destination: dest, ok: false, detail: 'the copy differs from the backup (sha256)' });
    expect(await listDir(dest)).toEqual([`${name}.json`]);
    await copyBackup(plain.path, dest);
    expect(await sha256(copy)).toBe(plain.manifest.sha256);
  });

  it('copies a directory dump file by file, verified by each file\'s sha256', async () => {
    const dest = path.join(await world.folder(), 'offsite');
    await copyBackup(directory.path, dest);
    const name = path.basename(directory.path);
    expect(await listDir(path.join(dest, name))).toEqual(await listDir(directory.path));
  });

  it('reports a destination it cannot write as a failed copy, never as a throw', async () => {
    const blocked = path.join(await world.folder(), 'a-file');
    await fs.mkdir(path.dirname(blocked), { recursive: true });
    await fs.writeFile(blocked, 'in the way');
    const [outcome] = await copyToAll(plain.path, [path.join(blocked, 'offsite')]);
    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toMatch(/ENOTDIR|not a directory/);
  });
});

describe('--copy-to user@host:folder over ssh (a private sshd of the test)', () => {
  it('copies with rsync over ssh and verifies size and sha256 on the other host', async (ctx) => {
    if (!sshd) return ctx.skip();
    const folder = path.join(sshd.writable, 'offsite');
    const dest = `${sshd.user}@${sshd.host}:${folder}`;
    const record = await copyBackup(plain.path, dest, { sshConfig: sshd.sshConfig });
    expect(record.path).toBe(`${sshd.user}@${sshd.host}:${folder}/${path.basename(plain.path)}`);
    expect(await sha256(path.join(folder, path.basename(plain.path)))).toBe(plain.manifest.sha256);
    await copyBackup(directory.path, dest, { sshConfig: sshd.sshConfig });
    expect(await listDir(path.join(folder, path.basename(directory.path)))).toEqual(await listDir(directory.path));
    const [refused] = await copyToAll(plain.path, [`nobody@${sshd.host}:${folder}`], { sshConfig: sshd.sshConfig });
    expect(refused).toMatchObject({ ok: false, detail: expect.stringMatching(/Permission denied/) });
  });
});
