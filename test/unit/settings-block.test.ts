import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it, vi } from 'vitest';
import { instanceStatePath } from '../../src/tasks/instance/identity.js';
import { applyManagedBlock, pythonString, readManagedBlock, withManagedBlock } from '../../src/tasks/settings-block.js';

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

  it("writes the file atomically, keeps a copy in the instance's state folder, and nothing when nothing changes", async () => {
    await inStateHome(async (checkout) => {
      const file = path.join(checkout, 'django', 'projects', 'mysite', 'settings.py');
      await fs.writeFile(file, ORIGINAL, { mode: 0o640 });
      const first = await applyManagedBlock(file, 'x', ['X = 1']);
      expect(first.changed).toBe(true);
      expect(path.dirname(first.backup as string)).toBe(instanceStatePath(checkout, 'copies'));
      expect(await fs.readFile(first.backup as string, 'utf8')).toBe(ORIGINAL);
      expect((await fs.stat(file)).mode & 0o777).toBe(0o640);
      const again = await applyManagedBlock(file, 'x', ['X = 1']);
      expect(again.changed).toBe(false);
      expect(await fs.readdir(path.dirname(file))).toEqual(['settings.py']);
    });
  });

  it('two edits in the same second keep two copies, each of the file it replaced', async () => {
    await inStateHome(async (checkout) => {
      const file = path.join(checkout, 'django', 'projects', 'mysite', 'settings.py');
      await fs.writeFile(file, ORIGINAL);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2026-11-25T14:02:00.250Z'));
      try {
        const first = await applyManagedBlock(file, 'a', ['A = 1']);
        const second = await applyManagedBlock(file, 'b', ['B = 2']);
        expect(first.backup).not.toBe(second.backup);
        expect(await fs.readFile(first.backup as string, 'utf8')).toBe(ORIGINAL);
        expect(await fs.readFile(second.backup as string, 'utf8')).toBe(first.after);
        expect(await fs.readdir(instanceStatePath(checkout, 'copies'))).toHaveLength(2);
      } finally {
        vi.useRealTimers();
      }
      expect(await fs.readdir(path.dirname(file))).toEqual(['settings.py']);
    });
  });
});

/** A CATMAID-shaped checkout (git work tree with django/) and a private XDG state home for catmaid-tui's copies. */
async function inStateHome(body: (checkout: string) => Promise<void>): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'block-'));
  const saved = process.env.XDG_STATE_HOME;
  process.env.XDG_STATE_HOME = path.join(dir, 'state');
  const checkout = path.join(dir, 'catmaid');
  await fs.mkdir(path.join(checkout, '.git'), { recursive: true });
  await fs.mkdir(path.join(checkout, 'django', 'projects', 'mysite'), { recursive: true });
  try {
    await body(checkout);
  } finally {
    if (saved === undefined) delete process.env.XDG_STATE_HOME;
    else process.env.XDG_STATE_HOME = saved;
    await fs.rm(dir, { recursive: true });
  }
}

describe('what goes into settings.py is one line per line, quoted as Python quotes it', () => {
  it('the shared writer refuses control characters and marker-like lines, whoever the caller', async () => {
    for (const line of ["X = 'a'\nimport os; os.system('id')", "X = 'a'\rY = 1", 'X = 1\u0000', "X = '\u001b[2J'", "X = '\u2028'"]) {
      expect(() => withManagedBlock(ORIGINAL, 'x', [line]), JSON.stringify(line)).toThrow(expect.objectContaining({ exitCode: 2 }));
    }
    expect(() => withManagedBlock(ORIGINAL, 'x', ['# <<< catmaid-tui: x <<<'])).toThrow(/block marker/);
    expect(() => withManagedBlock(ORIGINAL, 'x\ny', ['X = 1'])).toThrow(/managed block id/);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'block-'));
    const file = path.join(dir, 'settings.py');
    await fs.writeFile(file, ORIGINAL);
    await expect(applyManagedBlock(file, 'x', ['A = 1', 'B = 2\nC = 3'])).rejects.toThrow(/control character/);
    expect(await fs.readFile(file, 'utf8')).toBe(ORIGINAL);
    await fs.rm(dir, { recursive: true });
  });

  it('pythonString gives a literal Python reads back as the same value, and refuses control characters', async () => {
    const values = ["it's", 'back\\slash', 'ends with \\', '"double"', 'ünïcödé/ß.js', "'; import os; '"];
    const code = `import ast, json, sys\nprint(json.dumps([ast.literal_eval(l) for l in sys.stdin.read().split('\\n') if l]))`;
    const read = await execa('python3', ['-c', code], { input: values.map(pythonString).join('\n') });
    expect(JSON.parse(read.stdout)).toEqual(values);
    expect(() => pythonString('a\nb')).toThrow(/control character/);
  });
});
