import { execa } from 'execa';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateHome } from '../helpers/cli.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { startInTmux, type TmuxSession } from '../helpers/tmux.js';

/**
 * The update wizard in a real terminal (tmux 100×30) on a sandbox: Home → Update → the release notes scrolled
 * to their end and acknowledged → confirmation → every step ✓ → the summary. Real git, pip and Django.
 */
let sb: TestSandbox;
let tui: TmuxSession | undefined;
beforeAll(async () => {
  sb = await createTestSandbox();
});
afterAll(async () => {
  await tui?.kill();
  await sb?.destroy();
});

describe('the Update screen in a real terminal', () => {
  it('walks Home → Update → notes read ✓ → confirm → steps ✓ → summary, and the checkout is at origin/master', async () => {
    const home = path.join(path.dirname(sb.dir), 'home');
    const env = privateHome(home);
    tui = await startInTmux(['-C', sb.root], { env, width: 100, height: 30 });
    await tui.waitFor(/db .*● up/);
    // Down the Home menu to Update, whatever else the registry lists before it.
    for (let i = 0; i < 12 && !/› Update/.test(await tui.screen()); i += 1) await tui.keys('j');
    expect(await tui.screen()).toMatch(/› Update/);
    await tui.keys('Enter');

    let screen = await tui.waitFor('Release notes to read (1)', 30_000);
    expect(screen).toMatch(/Update · 2020\.02\.15 → master \(2021\.12\.21-2-g[0-9a-f]{7}\) \(3 commit\(s\), 1 release\(s\)\)/);
    expect(screen).toContain('✓ nothing of the instance runs');
    expect(screen).toContain('✓ working tree clean');
    expect(screen).toContain('• Python 3.8 is now required. A virtualenv');
    expect(screen).toContain('· git pull --ff-only origin master');
    expect(screen).toMatch(/Home › Update/);

    await tui.keys('G');
    await tui.waitFor('I have read them');
    await tui.keys('r');
    screen = await tui.waitFor('[ read ✓ ]');
    expect(screen).toContain('ready: u or ⏎ starts the update');
    await tui.keys('u');
    screen = await tui.waitFor('Yes, update');
    expect(screen).toContain('› No');
    await tui.keys('y');

    screen = await tui.waitFor(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] /, 30_000);
    expect(screen).toContain('┌ Steps');
    expect(screen).toMatch(/log: .*update\.log/);
    screen = await tui.waitFor('Updated 2020.02.15 → 2021.12.21', 120_000);
    expect(screen).toMatch(/✓ backup +\d+\.\d s/);
    for (const step of ['git pull --ff-only origin master', 'pip install -r requirements.txt', 'manage.py migrate --plan', 'manage.py migrate ', 'manage.py collectstatic -l', 'manage.py check']) {
      expect(screen).toContain(`✓ ${step}`);
    }
    expect(screen).toContain('1 migration(s) applied');
    expect(screen).toMatch(/backup from before: .*catmaid_\d{12}_[0-9a-f]{7}\.sql/);
    expect(screen).toContain('now restart: start your WSGI server');

    const head = (await execa('git', ['-C', sb.root, 'rev-parse', 'HEAD'])).stdout;
    expect(head).toBe((await execa('git', ['-C', sb.root, 'rev-parse', 'origin/master'])).stdout);

    await tui.keys('Escape');
    await tui.waitFor(/Home .*q quit/);
    await tui.keys('q');
    expect(await tui.waitForExit()).toEqual({ status: 0, alternate: false });
  });
});
