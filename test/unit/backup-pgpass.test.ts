import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DatabaseSettings } from '../../src/tasks/instance/types.js';
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
