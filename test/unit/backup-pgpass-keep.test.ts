import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DatabaseSettings } from '../../src/tasks/instance/types.js';
import { backupsToPrune } from '../../src/tasks/backup/keep.js';
import type { BackupEntry } from '../../src/tasks/backup/list.js';
import type { BackupKind, BackupManifest } from '../../src/tasks/backup/manifest.js';
import type { BackupPin } from '../../src/tasks/backup/pins.js';
import {
  checkPgpass,
  installPgpass,
  mergePgpass,
  parsePgpassLine,
  pgpassLine,
  pgpassPasswordFor,
} from '../../src/tasks/backup/pgpass.js';

const db: DatabaseSettings = { name: 'catmaid', user: 'catmaid_user', password: 'p:a\\ss', host: '', port: 5432 };

describe('.pgpass', () => {
  it('writes a socket connection as localhost and escapes : and \\', () => {
    expect(pgpassLine(db)).toBe('localhost:5432:catmaid:catmaid_user:p\\:a\\\\ss');
    expect(parsePgpassLine(pgpassLine(db))).toEqual(['localhost', '5432', 'catmaid', 'catmaid_user', 'p:a\\ss']);
    expect(parsePgpassLine('# a comment')).toBeNull();
  });

  it('adds the line once and updates a changed password in place', () => {
    const other = 'db.example.org:5432:*:reader:x\n';
    const added = mergePgpass(other, db);
    expect(added).toEqual({ content: `${other}${pgpassLine(db)}\n`, changed: true });
    expect(mergePgpass(added.content, db).changed).toBe(false);
    const changed = mergePgpass(added.content, { ...db, password: 'new' });
    expect(changed.content).toBe(`${other}localhost:5432:catmaid:catmaid_user:new\n`);
  });

  it('finds the password libpq would use, wildcards and first match included', () => {
    expect(pgpassPasswordFor('*:*:*:catmaid_user:first\nlocalhost:5432:catmaid:catmaid_user:second\n', db)).toBe('first');
    expect(pgpassPasswordFor('localhost:5433:catmaid:catmaid_user:x\n', db)).toBeNull();
  });

  it('is installed 0600 and only then counts as usable', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pgpass-'));
    const file = path.join(dir, '.pgpass');
    expect(await checkPgpass(file, db)).toMatchObject({ usable: false, reason: expect.stringMatching(/does not exist/) });
    expect(await installPgpass(file, db)).toEqual({ changed: true });
    expect(await installPgpass(file, db)).toEqual({ changed: false });
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await checkPgpass(file, db)).toEqual({ usable: true, file });
    await fs.chmod(file, 0o644);
    expect(await checkPgpass(file, db)).toMatchObject({ usable: false, reason: expect.stringMatching(/0600/) });
    expect(await checkPgpass(file, { ...db, password: 'other' })).toMatchObject({ usable: false });
    await fs.rm(dir, { recursive: true });
  });
});

describe('--keep', () => {
  const owner = { instanceKey: 'aaaaaaaaaaaa', databaseKey: 'local:5432/catmaid' };
  const entry = (
    name: string,
    day: number,
    { state = 'verified', instance = owner.instanceKey, database = owner.databaseKey, kind = 'backup' as BackupKind | undefined, version = 2 } = {},
  ): BackupEntry => ({
    name,
    path: `/b/${name}`,
    format: 'sql',
    database: 'catmaid',
    createdAt: new Date(2026, 0, day),
    sizeBytes: 1,
    state: state as BackupEntry['state'],
    manifest:
      state === 'verified'
        ? ({ database: 'catmaid', manifestVersion: version, ...(version === 2 ? { instance: { root: '/srv/x', key: instance }, databaseKey: database, kind } : {}) } as BackupManifest)
        : null,
  });
  const names = (entries: BackupEntry[]) => entries.map((e) => e.name);

  it("removes the oldest verified backups of this instance's database beyond N, nothing else", () => {
    const entries = [
      entry('d5', 5),
      entry('d4', 4),
      entry('d3-unverified', 3, { state: 'unverified' }),
      entry('d2', 2),
      entry('d1-handmade', 1, { state: 'no-manifest' }),
      entry('other-db', 1, { database: 'local:5433/catmaid' }),
      entry('other-instance', 1, { instance: 'bbbbbbbbbbbb' }),
      entry('old-manifest', 1, { version: 1 }),
      entry('d0', 0),
    ];
    expect(names(backupsToPrune(entries, owner, 2, '/b/d5'))).toEqual(['d2', 'd0']);
    expect(backupsToPrune(entries, owner, 0, '/b/d5')).toEqual([]);
  });

  it('counts safety and pre-update backups apart from the admin\'s own', () => {
    const entries = [entry('s3', 9, { kind: 'safety' }), entry('s2', 8, { kind: 'safety' }), entry('b2', 7), entry('u1', 6, { kind: 'update' }), entry('b1', 5), entry('s1', 4, { kind: 'safety' })];
    expect(names(backupsToPrune(entries, owner, 1, '/b/b2'))).toEqual(['s2', 's1', 'b1']);
  });

  it('never removes a pinned backup or the backup just made', () => {
    const entries = [entry('future', 9), entry('new', 5), entry('pre-update', 3), entry('old', 1)];
    const pins: BackupPin[] = [{ path: '/b/pre-update', kind: 'update', reason: 'pre-update backup', since: '2026-01-03T00:00:00Z' }];
    expect(names(backupsToPrune(entries, owner, 1, '/b/new', pins))).toEqual(['old']);
  });
});
