import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { privateHome, runCli } from '../helpers/cli.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/**
 * `extensions add` as a hostile local user would attack it: files and folders planted by another user (nobody)
 * must never get a secret into the web-served folder. The tests run as root, as an admin would.
 */
const NOBODY = 65534;
let sb: TestSandbox;
let settingsPy: string;
let original: string;
let folder: string;
let work: string;
let home: string;

beforeAll(async () => {
  sb = await createTestSandbox();
  settingsPy = path.join(sb.root, 'django', 'projects', 'mysite', 'settings.py');
  original = fs.readFileSync(settingsPy, 'utf8');
  folder = path.join(sb.root, 'django', 'staticext');
  work = fs.mkdtempSync(path.join(sb.dir, 'hostile-'));
  fs.chmodSync(work, 0o755);
  home = fs.mkdtempSync(path.join(sb.dir, 'home-'));
});
afterEach(async () => {
  // Each attack starts from the sandbox's own folder and settings.
  fs.rmSync(folder, { recursive: true, force: true });
  await execa('git', ['-C', sb.root, 'checkout', '--', 'django/staticext']);
  fs.writeFileSync(settingsPy, original);
});
afterAll(async () => {
  await sb?.destroy();
});

const add = (file: string, ...more: string[]) =>
  runCli(['-C', sb.root, 'extensions', 'add', file, '--yes', ...more], { env: privateHome(home), timeout: 30_000 });

function folderFiles(): string[] {
  return fs.readdirSync(folder).filter((f) => f !== '.gitkeep');
}

function expectRefused(result: Awaited<ReturnType<typeof add>>, reason: RegExp): void {
  expect(result.exitCode, result.stderr).toBe(3);
  expect(result.stderr.split('\n')[0]).toMatch(reason);
  expect(fs.readFileSync(settingsPy, 'utf8')).toBe(original);
}

describe('extensions add refuses what could leak a secret into the web-served folder', () => {
  it('a symlink to /etc/shadow is refused, not copied', async () => {
    const link = path.join(work, 'shadow.js');
    fs.symlinkSync('/etc/shadow', link);
    expectRefused(await add(link), /shadow\.js is a symlink: refused/);
    expect(folderFiles()).toEqual([]);
  });

  it("a file owned by another user is refused (it is not the admin's, root's or the instance owner's)", async () => {
    const file = path.join(work, 'theirs.js');
    fs.writeFileSync(file, 'alert(1)\n');
    fs.chownSync(file, NOBODY, NOBODY);
    expectRefused(await add(file), /theirs\.js belongs to uid 65534, not to root, you/);
    expect(folderFiles()).toEqual([]);
  });

  it('a hard link (a second name for some other file) and a FIFO are refused, without hanging', async () => {
    const original = path.join(work, 'real.txt');
    fs.writeFileSync(original, 'secret\n', { mode: 0o600 });
    fs.linkSync(original, path.join(work, 'linked.js'));
    expectRefused(await add(path.join(work, 'linked.js')), /has 2 hard links: refused/);
    await execa('mkfifo', [path.join(work, 'pipe.js')]);
    expectRefused(await add(path.join(work, 'pipe.js')), /pipe\.js is not a regular file: refused/);
    expect(folderFiles()).toEqual([]);
  });

  it('a folder on the way to the file that another user symlinked is refused', async () => {
    const secrets = fs.mkdtempSync(path.join(sb.dir, 'secrets-'));
    fs.writeFileSync(path.join(secrets, 'app.js'), 'root only\n', { mode: 0o600 });
    const planted = path.join(work, 'uploads');
    fs.symlinkSync(secrets, planted);
    fs.lchownSync(planted, NOBODY, NOBODY);
    expectRefused(await add(path.join(planted, 'app.js')), /uploads is a symlink owned by uid 65534/);
    expect(folderFiles()).toEqual([]);
  });

  it('an extension folder that is a symlink planted by another user, or writable by others, is refused', async () => {
    const file = path.join(work, 'tools.js');
    fs.writeFileSync(file, 'console.log(1)\n');
    const elsewhere = fs.mkdtempSync(path.join(sb.dir, 'elsewhere-'));
    fs.rmSync(folder, { recursive: true });
    fs.symlinkSync(elsewhere, folder);
    fs.lchownSync(folder, NOBODY, NOBODY);
    expectRefused(await add(file), /staticext is a symlink owned by uid 65534/);
    expect(fs.readdirSync(elsewhere)).toEqual([]);

    fs.rmSync(folder);
    fs.mkdirSync(folder);
    fs.chmodSync(folder, 0o777);
    const writable = await add(file);
    expectRefused(writable, /staticext is writable by other users \(mode 777\)/);
    expect(writable.stderr).toContain(`chmod go-w ${folder}`);
    expect(fs.readdirSync(folder)).toEqual([]);
  });

  it('never writes through a symlink in the extension folder', async () => {
    const victim = path.join(sb.dir, 'victim.conf');
    fs.writeFileSync(victim, 'keep me\n');
    fs.symlinkSync(victim, path.join(folder, 'tools.js'));
    const file = path.join(work, 'tools.js');
    fs.writeFileSync(file, 'console.log(2)\n');
    expectRefused(await add(file), /staticext\/tools\.js is a symlink: catmaid-tui does not write through it/);
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(fs.lstatSync(path.join(folder, 'tools.js')).isSymbolicLink()).toBe(true);
  });

  it('a file above 10 MB is added with a warning that names the size and the threshold', async () => {
    const file = path.join(work, 'huge.js');
    fs.writeFileSync(file, Buffer.alloc(11 * 1024 * 1024, 0x20));
    const result = await add(file);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toBe('catmaid-tui: warning: huge.js is 11 MB (over 10 MB), and every page loads it: is it the right file?');
    expect(fs.statSync(path.join(folder, 'huge.js')).mode & 0o777).toBe(0o644);
  });

  it('an ordinary file of the admin is still copied, 0644, with no temporary file left', async () => {
    const file = path.join(work, 'plain.js');
    fs.writeFileSync(file, 'console.log(3)\n', { mode: 0o600 });
    const result = await add(file);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(folderFiles()).toEqual(['plain.js']);
    expect(fs.statSync(path.join(folder, 'plain.js')).mode & 0o777).toBe(0o644);
  });
});
