import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyManagedBlock, readManagedBlock, withManagedBlock } from '../../src/tasks/settings-block.js';

const ORIGINAL = "from mysite.settings_base import *\n\nDEBUG = False\n";

describe('managed blocks in settings.py', () => {
  it('adds a block at the end, replaces it in place, and removing it gives back the original exactly', () => {
    const once = withManagedBlock(ORIGINAL, 'ssl', ['SESSION_COOKIE_SECURE = True']);
    expect(once.startsWith(ORIGINAL)).toBe(true);
    expect(readManagedBlock(once, 'ssl')).toEqual(['SESSION_COOKIE_SECURE = True']);
    expect(withManagedBlock(once, 'ssl', ['SESSION_COOKIE_SECURE = True'])).toBe(once);
    const changed = withManagedBlock(once, 'ssl', ['CSRF_COOKIE_SECURE = True']);
    expect(changed.match(/>>> catmaid-tui: ssl/g)).toHaveLength(1);
    expect(withManagedBlock(changed, 'ssl', null)).toBe(ORIGINAL);
  });

  it('keeps two blocks apart', () => {
    const both = withManagedBlock(withManagedBlock(ORIGINAL, 'a', ['A = 1']), 'b', ['B = 2']);
    expect(readManagedBlock(both, 'a')).toEqual(['A = 1']);
    expect(withManagedBlock(withManagedBlock(both, 'a', null), 'b', null)).toBe(ORIGINAL);
  });

  it('writes the file atomically with a backup copy, and not at all when nothing changes', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'block-'));
    const file = path.join(dir, 'settings.py');
    await fs.writeFile(file, ORIGINAL, { mode: 0o640 });
    const first = await applyManagedBlock(file, 'x', ['X = 1']);
    expect(first.changed).toBe(true);
    expect(await fs.readFile(first.backup as string, 'utf8')).toBe(ORIGINAL);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o640);
    const again = await applyManagedBlock(file, 'x', ['X = 1']);
    expect(again.changed).toBe(false);
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await fs.rm(dir, { recursive: true });
  });
});
