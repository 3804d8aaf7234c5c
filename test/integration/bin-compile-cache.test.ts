import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { privateHome, runCli } from '../helpers/cli.js';

/**
 * bin/catmaid-tui keeps Node's compile cache of dist/ in $XDG_CACHE_HOME/catmaid-tui/node-compile-cache, and only
 * where no other user can change what it holds: root runs the code of whatever bytecode is there.
 */
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'catmaid-tui-compile-cache-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
const [major, minor] = process.versions.node.split('.').map(Number);
const nodeHasCompileCache = major > 22 || (major === 22 && minor >= 1);

const filesUnder = (dir: string): string[] =>
  fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name) : [];

async function versionWithCache(cacheHome: string): Promise<string> {
  const result = await runCli(['--version'], { runner: 'bin', env: { ...privateHome(home), XDG_CACHE_HOME: cacheHome } });
  expect(result.exitCode, result.stderr).toBe(0);
  return path.join(cacheHome, 'catmaid-tui', 'node-compile-cache');
}

describe.runIf(nodeHasCompileCache)("bin/catmaid-tui's compile cache", () => {
  it("is written in the user's own cache folder", async () => {
    const cacheHome = path.join(home, 'own');
    fs.mkdirSync(cacheHome, { mode: 0o700 });
    const dir = await versionWithCache(cacheHome);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(filesUnder(dir).length).toBeGreaterThan(0);
  });

  it('is neither written nor read where others can write on the way to it', async () => {
    const open = path.join(home, 'open');
    fs.mkdirSync(path.join(open, 'cache'), { recursive: true });
    fs.chmodSync(open, 0o777); // no sticky bit: anyone could swap the folders below
    const dir = await versionWithCache(path.join(open, 'cache'));
    expect(filesUnder(dir)).toEqual([]);
  });
});
