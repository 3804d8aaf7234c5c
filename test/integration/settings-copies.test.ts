import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateHome, runCli } from '../helpers/cli.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/**
 * Copies of the files catmaid-tui replaces live in its state folder, never in the CATMAID checkout: a copy there
 * is an untracked change, and `update` refuses a dirty tree.
 */
let sb: TestSandbox;
let home: string;
let settingsPy: string;

beforeAll(async () => {
  sb = await createTestSandbox();
  home = fs.mkdtempSync(path.join(sb.dir, 'home-'));
  settingsPy = path.join(sb.root, 'django', 'projects', 'mysite', 'settings.py');
});
afterAll(async () => {
  await sb?.destroy();
});

const cli = (...args: string[]) => runCli(['-C', sb.root, ...args], { env: privateHome(home) });

async function porcelain(): Promise<string> {
  return (await execa('git', ['-C', sb.root, 'status', '--porcelain', '--untracked-files=all'])).stdout;
}

function copies(): string[] {
  const instances = path.join(home, 'state', 'catmaid-tui', 'instances');
  return fs.readdirSync(instances).flatMap((slug) => fs.readdirSync(path.join(instances, slug, 'copies')).map((f) => path.join(instances, slug, 'copies', f)));
}

describe("copies of replaced files go to catmaid-tui's state folder", () => {
  it('after extensions add and a checkup settings fix the checkout holds only the added file, and both copies are kept outside it', async () => {
    expect(await porcelain()).toBe('');
    const original = fs.readFileSync(settingsPy, 'utf8');
    const file = path.join(sb.dir, 'tools.js');
    fs.writeFileSync(file, 'console.log("tools");\n');
    const added = await cli('extensions', 'add', file, '--yes');
    expect(added.exitCode, added.stderr).toBe(0);

    fs.writeFileSync(settingsPy, `${original}\nDEBUG = True\n`);
    const debugOn = fs.readFileSync(settingsPy, 'utf8');
    const fixed = await cli('checkup', '--samples', '0', '--apply', 'django.debug', '--yes');
    expect(fixed.exitCode, fixed.stderr).toBe(0);
    expect(fs.readFileSync(settingsPy, 'utf8')).toContain('DEBUG = False');

    // As on a real checkout (whose .gitignore does not ignore django/staticext/), the added file itself is untracked;
    // no copy of settings.py is anywhere in the tree.
    expect(await porcelain()).toBe('?? django/staticext/tools.js');
    expect(fs.readdirSync(path.dirname(settingsPy)).filter((f) => f.startsWith('settings.py.') && f !== 'settings.py.example')).toEqual([]);
    const kept = copies().map((f) => fs.readFileSync(f, 'utf8'));
    expect(kept).toHaveLength(2);
    expect(kept).toContain(original);
    expect(kept).toContain(debugOn);
    for (const f of copies()) expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    expect(fixed.stderr).toMatch(new RegExp(`backup: ${path.join(home, 'state', 'catmaid-tui', 'instances')}/${path.basename(sb.root)}-[0-9a-f]+/copies/settings\\.py\\.`));
  });
});
