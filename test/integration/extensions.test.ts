import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateHome, runCli } from '../helpers/cli.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let sb: TestSandbox;
let settingsPy: string;
let original: string;
let work: string;

beforeAll(async () => {
  sb = await createTestSandbox();
  settingsPy = path.join(sb.root, 'django', 'projects', 'mysite', 'settings.py');
  original = fs.readFileSync(settingsPy, 'utf8');
  work = fs.mkdtempSync(path.join(sb.dir, 'ext-'));
  fs.writeFileSync(path.join(work, 'tracing-tools.js'), 'console.log("hello CATMAID");\n', { mode: 0o600 });
  fs.writeFileSync(path.join(work, 'style.css'), 'body { color: black; }\n');
});
afterAll(async () => {
  await sb?.destroy();
});

/** What Django itself says the list is, and whether CATMAID's app accepts it (`manage.py check`). */
async function djangoList(): Promise<{ files: unknown; check: number }> {
  const python = path.join(sb.root, 'django', 'env', 'bin', 'python');
  const manage = path.join(sb.root, 'django', 'projects', 'manage.py');
  const code = 'from django.conf import settings; import json; print(json.dumps(settings.STATIC_EXTENSION_FILES))';
  const shell = await execa(python, [manage, 'shell', '-c', code], { reject: false });
  const check = await execa(python, [manage, 'check'], { reject: false });
  const files = shell.exitCode === 0 ? JSON.parse(shell.stdout.trim().split('\n').at(-1) ?? 'null') : null;
  return { files, check: check.exitCode ?? -1 };
}

const ext = (...args: string[]) => runCli(['-C', sb.root, 'extensions', ...args], { env: privateHome(sb.dir) });

describe('managing STATIC_EXTENSION_FILES on the sandbox', () => {
  it('add: copies the file (0644) into the root and Django sees the name in a list', async () => {
    const result = await ext('add', path.join(work, 'tracing-tools.js'), '--yes');
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const target = path.join(sb.root, 'django', 'staticext', 'tracing-tools.js');
    expect(fs.readFileSync(target, 'utf8')).toContain('hello CATMAID');
    expect(fs.statSync(target).mode & 0o777).toBe(0o644);
    expect(await djangoList()).toEqual({ files: ['tracing-tools.js'], check: 0 });
    const list = JSON.parse((await ext('list', '--json')).stdout);
    expect(list.files).toEqual([{ name: 'tracing-tools.js', present: true, size: fs.statSync(target).size }]);
  });

  it('add twice changes nothing', async () => {
    const before = fs.readFileSync(settingsPy, 'utf8');
    const result = await ext('add', path.join(work, 'tracing-tools.js'), '--yes');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('already right, not changed');
    expect(fs.readFileSync(settingsPy, 'utf8')).toBe(before);
    expect((await djangoList()).files).toEqual(['tracing-tools.js']);
  });

  it('refuses bad names with exit 2 and changes nothing', async () => {
    const before = fs.readFileSync(settingsPy, 'utf8');
    for (const args of [
      ['add', path.join(work, 'tracing-tools.js'), '--name', '../evil.js', '--yes'],
      ['add', path.join(work, 'tracing-tools.js'), '--name', 'sub/dir.js', '--yes'],
      ['add', path.join(work, 'tracing-tools.js'), '--name', 'script.py', '--yes'],
      ['add', path.join(work, 'tracing-tools.js'), '--name', 'title\u001b]0;pwned\u0007.js', '--yes'],
      ['remove', '../x.js', '--yes'],
    ]) {
      const result = await ext(...args);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr.split('\n')[0]).toMatch(/^catmaid-tui: extension name/);
    }
    expect(fs.readFileSync(settingsPy, 'utf8')).toBe(before);
    const folder = fs.readdirSync(path.join(sb.root, 'django', 'staticext')).filter((f) => !f.startsWith('.'));
    expect(folder).toEqual(['tracing-tools.js']);
  });

  it('without a terminal and without --yes it refuses (exit 3) and changes nothing', async () => {
    const before = fs.readFileSync(settingsPy, 'utf8');
    const result = await ext('add', path.join(work, 'style.css'));
    expect(result.exitCode).toBe(3);
    expect(fs.readFileSync(settingsPy, 'utf8')).toBe(before);
  });

  it('remove restores the settings file exactly when the block becomes empty; --delete-file deletes the file', async () => {
    const result = await ext('remove', 'tracing-tools.js', '--delete-file', '--yes');
    expect(result.exitCode).toBe(0);
    expect(fs.readFileSync(settingsPy, 'utf8')).toBe(original);
    expect(fs.existsSync(path.join(sb.root, 'django', 'staticext', 'tracing-tools.js'))).toBe(false);
    expect(await djangoList()).toEqual({ files: [], check: 0 });
  });

  it("a settings.py with the administration manual's tuple form still gives a list after add", async () => {
    fs.writeFileSync(settingsPy, `${original}\nSTATIC_EXTENSION_FILES = ('test.js', )\n`);
    expect((await djangoList()).check).not.toBe(0); // CATMAID refuses a tuple
    const result = await ext('add', path.join(work, 'style.css'), '--yes');
    expect(result.exitCode).toBe(0);
    expect(await djangoList()).toEqual({ files: ['test.js', 'style.css'], check: 0 });
    // Taking out a name the admin's own line lists works too, and the list stays a list.
    const removed = await ext('remove', 'test.js', '--yes');
    expect(removed.exitCode).toBe(0);
    expect(await djangoList()).toEqual({ files: ['style.css'], check: 0 });
    fs.writeFileSync(settingsPy, original);
  });

  it('nginx: prints the location block that serves the folder', async () => {
    const result = await ext('nginx');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`location /catmaid/staticext/ {\n    alias ${path.join(sb.root, 'django', 'staticext')}/;`);
  });
});

describe('managing STATIC_EXTENSION_FILES when only the static reading of the settings works (broken virtualenv)', () => {
  let broken: TestSandbox;
  beforeAll(async () => {
    broken = await createTestSandbox({ brokenVenv: true });
  });
  afterAll(async () => {
    await broken?.destroy();
  });
  const run = (...args: string[]) => runCli(['-C', broken.root, 'extensions', ...args], { env: privateHome(broken.dir) });

  it('add, list, nginx and remove use the folder and URL settings.py names, and the file ends as it began', async () => {
    const py = path.join(broken.root, 'django', 'projects', 'mysite', 'settings.py');
    const before = fs.readFileSync(py, 'utf8');
    const url = /^STATIC_EXTENSION_URL = '([^']*)'$/m.exec(before)?.[1];
    const root = /^STATIC_EXTENSION_ROOT = '([^']*)'$/m.exec(before)?.[1];
    expect(root).toBe(path.join(broken.root, 'django', 'staticext'));

    const added = await run('add', path.join(work, 'tracing-tools.js'), '--yes');
    expect(added.exitCode, added.stderr).toBe(0);
    expect(fs.statSync(path.join(root!, 'tracing-tools.js')).mode & 0o777).toBe(0o644);
    expect(fs.readFileSync(py, 'utf8')).toMatch(/# >>> catmaid-tui: static-extension-files >>>\n[^<]*'tracing-tools\.js'[^<]*# <<< catmaid-tui/);
    const list = JSON.parse((await run('list', '--json')).stdout);
    expect(list.files).toEqual([{ name: 'tracing-tools.js', present: true, size: fs.statSync(path.join(root!, 'tracing-tools.js')).size }]);
    expect((await run('nginx')).stdout).toContain(`location ${url} {\n    alias ${root}/;`);

    const removed = await run('remove', 'tracing-tools.js', '--delete-file', '--yes');
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(fs.readFileSync(py, 'utf8')).toBe(before);
  });
});
