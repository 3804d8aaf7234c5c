import fs from 'node:fs';
import path from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { extensionServices, type ExtensionServices } from '../../src/hooks/useExtensions.js';
import { Extensions } from '../../src/screens/Extensions.js';
import { discoverInstance } from '../../src/tasks/instance/index.js';
import type { InstanceInfo } from '../../src/tasks/instance/types.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { KEY, press, waitForFrame, waitForText } from './helpers.js';

/** The Extensions screen on a real sandbox: Django reads settings.py after every change. */
let sb: TestSandbox;
let info: InstanceInfo;
let settingsPy: string;
let folder: string;
let work: string;
let services: ExtensionServices;
let original: string;

beforeAll(async () => {
  sb = await createTestSandbox();
  info = await discoverInstance({ name: 'sandbox', root: sb.root, via: '--catmaid-dir' }, { database: false, processes: false });
  settingsPy = info.layout.settingsPy;
  original = fs.readFileSync(settingsPy, 'utf8');
  folder = info.settings.settings.staticExtensionRoot ?? '';
  work = fs.mkdtempSync(path.join(sb.dir, 'ext-'));
  fs.writeFileSync(path.join(work, 'tracing-tools.js'), 'console.log("hello CATMAID");\n');
  fs.writeFileSync(path.join(work, 'style.css'), 'body { color: black; }\n');
  fs.writeFileSync(path.join(work, 'notes.txt'), 'not an extension\n');
  fs.mkdirSync(path.join(work, 'lib'));
  services = { ...extensionServices, logDir: path.join(work, 'logs') };
  process.env.XDG_STATE_HOME = path.join(work, 'state');
});
afterEach(() => cleanup());
afterAll(async () => {
  await sb?.destroy();
});

const TAB = '\t';
const slow = (app: ReturnType<typeof render>, text: string) => waitForFrame(app, (f) => f.includes(text), 30_000);
const screen = (of: InstanceInfo = info) => render(<Extensions info={of} active width={100} height={26} services={services} />);

describe('the Extensions screen', () => {
  it('lists the settings; a with Tab completion adds a file after Yes, not after No', async () => {
    const before = fs.readFileSync(settingsPy, 'utf8');
    const app = screen();
    let frame = await slow(app, 'STATIC_EXTENSION_ROOT');
    expect(frame).toContain(`STATIC_EXTENSION_ROOT   ${folder}`);
    expect(frame).toContain('✓ a list · 0 file(s)');
    expect(frame).toContain('No front-end extensions are listed.');

    await press(app, 'a', `${work}/`, TAB);
    frame = await waitForText(app, 'tracing-tools.js');
    expect(frame).toContain('lib/  style.css  tracing-tools.js');
    expect(frame).not.toContain('notes.txt');
    // Typed fast, the text and the Tab come as one chunk.
    await press(app, 'tr\t');
    await waitForText(app, `File to add: ${work}/tracing-tools.js`);
    await press(app, KEY.enter);
    await waitForText(app, 'and add it to STATIC_EXTENSION_FILES?');
    await press(app, KEY.enter);
    expect(await waitForText(app, 'nothing was added')).toContain('i nothing was added');
    expect(fs.readFileSync(settingsPy, 'utf8')).toBe(before);

    await press(app, 'a', `${work}/tracing-tools.js`, KEY.enter);
    await waitForText(app, 'and add it to STATIC_EXTENSION_FILES?');
    await press(app, 'y');
    await slow(app, '✓ tracing-tools.js added to STATIC_EXTENSION_FILES; copied into the folder');
    frame = await slow(app, '✓ a list · 1 file(s)');
    expect(frame).toMatch(/✓ tracing-tools\.js +present +30 B/);
    expect(frame).toContain('✓ a list · 1 file(s)');
    expect(frame).toMatch(/log: .*extensions-add\.log/);
    // The copy of settings.py is kept in catmaid-tui's state folder, not next to settings.py in the checkout.
    expect(frame).toMatch(/backup: .*\/copies\/settings\.py\.\d{14}-/);
    expect(fs.readdirSync(path.dirname(settingsPy)).filter((f) => f.startsWith('settings.py.') && f !== 'settings.py.example')).toEqual([]);
    expect(fs.statSync(path.join(folder, 'tracing-tools.js')).mode & 0o777).toBe(0o644);
    expect(fs.readFileSync(settingsPy, 'utf8')).toContain("['tracing-tools.js']");
  });

  it('refuses a file that is not .js or .css in one line, and changes nothing', async () => {
    const before = fs.readFileSync(settingsPy, 'utf8');
    const app = screen();
    await slow(app, 'STATIC_EXTENSION_ROOT');
    await press(app, 'a', `${work}/notes.txt\r`);
    const frame = await waitForText(app, 'must end in .js or .css');
    expect(frame).toContain('✗ extension name "notes.txt": must end in .js or .css; nothing was changed');
    expect(frame).not.toContain('STATIC_EXTENSION_FILES?');
    expect(fs.readFileSync(settingsPy, 'utf8')).toBe(before);
    expect(fs.existsSync(path.join(folder, 'notes.txt'))).toBe(false);
  });

  it('refuses a symlink (shadow.js → /etc/shadow) in one line after Yes, and copies nothing', async () => {
    const before = fs.readFileSync(settingsPy, 'utf8');
    fs.symlinkSync('/etc/shadow', path.join(work, 'shadow.js'));
    const app = screen();
    await slow(app, 'STATIC_EXTENSION_ROOT');
    await press(app, 'a', `${work}/shadow.js\r`);
    await waitForText(app, 'and add it to STATIC_EXTENSION_FILES?');
    await press(app, 'y');
    const frame = await slow(app, 'nothing was changed');
    expect(frame).toContain(`✗ ${work}/shadow.js is a symlink: refused; nothing was changed`);
    expect(fs.readFileSync(settingsPy, 'utf8')).toBe(before);
    expect(fs.existsSync(path.join(folder, 'shadow.js'))).toBe(false);
  });

  it('d takes a file out of the list and keeps it; x deletes it only after its name is typed', async () => {
    const app = screen();
    await slow(app, '✓ a list · 1 file(s)');
    await press(app, 'd');
    await waitForText(app, 'the file stays in the folder)?');
    await press(app, 'y');
    await slow(app, '✓ tracing-tools.js taken out of STATIC_EXTENSION_FILES');
    let frame = await slow(app, '✓ a list · 0 file(s)');
    expect(frame).toContain('the file is kept');
    expect(frame).toContain('· in the folder but not listed: tracing-tools.js');
    expect(fs.existsSync(path.join(folder, 'tracing-tools.js'))).toBe(true);

    await press(app, 'a', `${work}/style.css`, KEY.enter, 'y');
    await slow(app, '✓ style.css added');
    await slow(app, '✓ a list · 1 file(s)');
    await press(app, 'x');
    await waitForText(app, 'Type style.css to confirm');
    await press(app, 'style', KEY.enter);
    await waitForText(app, 'that is not "style.css"; nothing was done');
    expect(fs.existsSync(path.join(folder, 'style.css'))).toBe(true);
    await press(app, '.css', KEY.enter);
    frame = await slow(app, '✓ style.css taken out of STATIC_EXTENSION_FILES');
    expect(frame).toContain('deleted the file from the folder');
    expect(fs.existsSync(path.join(folder, 'style.css'))).toBe(false);
  });

  it('shows the not-a-list danger of the tuple form, and an add leaves a list', async () => {
    // The administration manual's form, written by hand while the screen is open.
    const app = screen();
    await slow(app, 'STATIC_EXTENSION_ROOT');
    fs.writeFileSync(settingsPy, `${original}\nSTATIC_EXTENSION_FILES = ('test.js', )\n`);
    await press(app, 'r');
    let frame = await slow(app, 'NOT A LIST');
    expect(frame).toContain('✗ NOT A LIST: CATMAID refuses to start; an add or remove makes it a list');
    expect(frame).toMatch(/✗ test\.js +missing from the folder/);
    await press(app, 'a', `${work}/tracing-tools.js`, KEY.enter, 'y');
    await slow(app, '✓ tracing-tools.js added');
    frame = await slow(app, '✓ a list · 2 file(s)');
    expect(frame).toMatch(/✓ tracing-tools\.js +present/);
  });

  it('n shows the nginx location block and whether the running nginx has it; Esc goes back to the list', async () => {
    const app = screen();
    await slow(app, 'STATIC_EXTENSION_ROOT');
    await press(app, 'n');
    const frame = await slow(app, 'nginx -t && systemctl reload nginx');
    expect(frame).toContain('location /catmaid/staticext/ {');
    expect(frame).toContain(`alias ${folder}/;`);
    expect(frame).toMatch(/[✓✗!] (nginx has it|nginx lacks it|not checked): /);
    await press(app, KEY.esc);
    expect(await waitForText(app, 'STATIC_EXTENSION_ROOT')).not.toContain('location /catmaid/staticext/ {');
  });
});
