import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pinBackup, pinnedBackups, pinOf, unpinBackup } from '../../src/tasks/backup/pins.js';
import { instanceKey, instanceStateDir } from '../../src/tasks/instance/identity.js';
import { collectNotices, type NoticeProvider } from '../../src/tasks/instance/notices.js';
import type { InstanceInfo } from '../../src/tasks/instance/types.js';
import { safeFileComponent } from '../../src/tasks/safe-name.js';

describe('a name that goes into a path', () => {
  it('stays as it is when it is already a safe file name', () => {
    expect(safeFileComponent('catmaid')).toBe('catmaid');
    expect(safeFileComponent('catmaid_prod-2')).toBe('catmaid_prod-2');
  });

  it('loses separators, dots, newlines and leading dashes, and keeps two different names apart', () => {
    for (const hostile of ['../../x/pwn', '..', '.', '-rf', 'a\nb', 'a/b', '', 'x'.repeat(300)]) {
      const safe = safeFileComponent(hostile);
      expect(safe).not.toMatch(/[/\n\0]/);
      expect(safe).not.toMatch(/^[.-]/);
      expect(safe.length).toBeLessThanOrEqual(73);
      expect(safe).not.toBe(hostile);
    }
    expect(safeFileComponent('a/b')).not.toBe(safeFileComponent('a_b'));
  });
});

describe('instance identity and state', () => {
  let home: string;
  const saved = process.env.XDG_STATE_HOME;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'catmaid-tui-ident-'));
    process.env.XDG_STATE_HOME = path.join(home, 'state');
  });
  afterEach(() => {
    process.env.XDG_STATE_HOME = saved;
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('tells apart two instances whose folders share a name', () => {
    const a = path.join(home, 'one', 'catmaid');
    const b = path.join(home, 'two', 'catmaid');
    fs.mkdirSync(a, { recursive: true });
    fs.mkdirSync(b, { recursive: true });
    expect(instanceKey(a)).not.toBe(instanceKey(b));
    expect(instanceStateDir(a)).not.toBe(instanceStateDir(b));
    fs.symlinkSync(a, path.join(home, 'link'));
    expect(instanceKey(path.join(home, 'link'))).toBe(instanceKey(a));
  });

  it('pins a backup per kind, and unpinning one kind keeps the other', async () => {
    const root = path.join(home, 'catmaid');
    fs.mkdirSync(root);
    const dump = path.join(home, 'b', 'catmaid_202611300400_abc1234.sql');
    await pinBackup(root, dump, 'update', 'pre-update backup');
    await pinBackup(root, dump, 'restore-test', 'last restore-tested');
    expect(pinnedBackups(root)).toHaveLength(2);
    await unpinBackup(root, dump, 'update');
    expect(pinOf(pinnedBackups(root), dump)?.kind).toBe('restore-test');
    expect((fs.statSync(path.join(instanceStateDir(root), 'pins')).mode & 0o777).toString(8)).toBe('700');
  });

  it('refuses a state folder that is a symlink to somewhere else', async () => {
    const root = path.join(home, 'catmaid');
    fs.mkdirSync(root);
    const elsewhere = path.join(home, 'elsewhere');
    fs.mkdirSync(elsewhere);
    fs.mkdirSync(path.dirname(instanceStateDir(root)), { recursive: true });
    fs.symlinkSync(elsewhere, instanceStateDir(root));
    await expect(pinBackup(root, path.join(home, 'x.sql'), 'update', 'r')).rejects.toThrow(/not a directory/);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });
});

describe('notices', () => {
  const info = {} as InstanceInfo;
  it('gathers every provider, most severe first, and a failing provider becomes a notice of its own', async () => {
    const providers: NoticeProvider[] = [
      { id: 'a', read: async () => [{ id: 'a.x', severity: 'info', text: 'fyi' }] },
      { id: 'b', read: async () => { throw new Error('database down'); } },
      { id: 'c', read: async () => [{ id: 'c.y', severity: 'fail', text: 'update unfinished', command: 'catmaid-tui update --resume' }] },
    ];
    const notices = await collectNotices(info, providers);
    expect(notices.map((n) => n.id)).toEqual(['c.y', 'a.x', 'b.unchecked']);
    expect(notices[2].text).toContain('database down');
  });

  it("waits for a slow provider as long as it is told: Home's 5 s, info's minute (a Django start-up on a busy host)", async () => {
    vi.useFakeTimers();
    try {
      const slow: NoticeProvider[] = [{ id: 'migrations', read: () => new Promise((resolve) => setTimeout(() => resolve([{ id: 'migrations.unapplied', severity: 'fail', text: '1 migration(s) not applied' }]), 8000)) }];
      const home = collectNotices(info, slow);
      const asked = collectNotices(info, slow, 60_000);
      await vi.advanceTimersByTimeAsync(8000);
      expect((await home).map((n) => [n.id, n.text])).toEqual([['migrations.unchecked', 'could not check migrations: migrations took longer than 5 s']]);
      expect((await asked).map((n) => n.id)).toEqual(['migrations.unapplied']);
    } finally {
      vi.useRealTimers();
    }
  });
});
