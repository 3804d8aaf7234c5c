import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { startInTmux, type TmuxSession } from '../helpers/tmux.js';

let sb: TestSandbox;
let tui: TmuxSession | undefined;
beforeAll(async () => {
  sb = await createTestSandbox();
});
afterAll(async () => {
  await tui?.kill();
  await sb?.destroy();
});

describe('the Checkup screen in a real terminal', () => {
  it('finds DEBUG = True, applies the fix after a confirmation, and settings.py says DEBUG = False', { timeout: 180_000 }, async () => {
    const settingsPy = path.join(sb.root, 'django', 'projects', 'mysite', 'settings.py');
    fs.writeFileSync(settingsPy, fs.readFileSync(settingsPy, 'utf8').replace(/^DEBUG = False$/m, 'DEBUG = True'));
    tui = await startInTmux(['-C', sb.root]);
    await tui.waitFor(/db .*● up/, 30_000);
    // Home's menu: move until the Performance checkup entry is selected, then open it.
    await tui.moveUntil(/› Performance checkup/);
    await tui.keys('Enter');
    await tui.waitFor(/Checkup · sampled/, 60_000);
    expect(await tui.screen()).toMatch(/✗ DEBUG +True → False/);
    await tui.moveUntil(/django\.debug · fail/);
    await tui.keys('a');
    await tui.waitFor('Apply django.debug: DEBUG = False?');
    await tui.keys('y');
    await tui.waitFor('✓ django.debug applied', 30_000);
    const lines = fs.readFileSync(settingsPy, 'utf8').split('\n').filter((l) => /^DEBUG\s*=/.test(l));
    expect(lines.at(-1)).toBe('DEBUG = False');
    // The checks run again after a fix (sampling included); Esc goes back once they are done.
    for (let i = 0; i < 30 && (await tui.screen()).includes('Home › Checkup'); i += 1) {
      await tui.keys('Escape');
      await tui.waitForGone('Home › Checkup', 2000).catch(() => undefined);
    }
    await tui.keys('q');
    expect((await tui.waitForExit()).alternate).toBe(false);
  });
});
