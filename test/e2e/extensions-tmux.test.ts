import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { startInTmux, type TmuxSession } from '../helpers/tmux.js';

/**
 * An admin in a real terminal: opens the wizard on the sandbox, goes from Home to "Custom front-end code",
 * adds a file with Tab completing its path, confirms, sees it listed, and leaves. Needs `npx tsup` first.
 */
let sb: TestSandbox;
let work: string;
let tmux: TmuxSession | undefined;

beforeAll(async () => {
  sb = await createTestSandbox();
  work = fs.mkdtempSync(path.join(sb.dir, 'ext-'));
  fs.writeFileSync(path.join(work, 'tracing-tools.js'), 'console.log("hello CATMAID");\n');
  fs.writeFileSync(path.join(work, 'readme.txt'), 'not an extension\n');
});
afterAll(async () => {
  await tmux?.kill();
  await sb?.destroy();
});

describe('Custom front-end code in the wizard', () => {
  it('adds a file from Home with Tab completion and a confirmation', async () => {
    const settingsPy = path.join(sb.root, 'django', 'projects', 'mysite', 'settings.py');
    tmux = await startInTmux(['-C', sb.root], { env: { NO_COLOR: '1', XDG_STATE_HOME: path.join(work, 'state') } });
    await tmux.waitFor('Actions', 30_000);
    // Wherever the lead put it in the menu: move down until it is the selected entry.
    for (let i = 0; i < 12 && !/› Custom front-end code/.test(await tmux.screen()); i += 1) {
      await tmux.keys('Down');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await tmux.keys('Enter');
    let screen = await tmux.waitFor(/STATIC_EXTENSION_FILES\s+✓ a list · 0 file\(s\)/, 30_000);
    expect(screen).toContain('Home › Custom front-end code');

    await tmux.keys('a');
    await tmux.waitFor('File to add:');
    await tmux.type(`${work}/tr`);
    await tmux.waitFor(`File to add: ${work}/tr`);
    await tmux.keys('Tab');
    await tmux.waitFor(`File to add: ${work}/tracing-tools.js`);
    await tmux.keys('Enter');
    await tmux.waitFor('add it to STATIC_EXTENSION_FILES?');
    await tmux.keys('y');
    screen = await tmux.waitFor(/✓ tracing-tools\.js +present/, 30_000);
    expect(screen).toContain('✓ tracing-tools.js added to STATIC_EXTENSION_FILES');
    expect(screen).toMatch(/log: .*extensions-add\.log/);
    expect(fs.readFileSync(settingsPy, 'utf8')).toContain("['tracing-tools.js']");
    expect(fs.existsSync(path.join(sb.root, 'django', 'staticext', 'tracing-tools.js'))).toBe(true);

    // Home reads the instance again after the change: its menu counts the new file without a restart.
    await tmux.keys('Escape');
    await tmux.waitFor(/Custom front-end code +1 file\(s\)/, 10_000);
    await tmux.keys('q');
    expect(await tmux.waitForExit()).toEqual({ status: 0, alternate: false });
  });
});
