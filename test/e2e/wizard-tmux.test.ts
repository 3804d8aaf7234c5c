import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { startInTmux, type TmuxSession } from '../helpers/tmux.js';

let sb: TestSandbox;
const sessions: TmuxSession[] = [];
beforeAll(async () => {
  sb = await createTestSandbox();
});
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.kill()));
  await sb?.destroy();
});

async function open(extra: string[] = [], size = { width: 100, height: 30 }): Promise<TmuxSession> {
  const session = await startInTmux(['-C', sb.root, ...extra], size);
  sessions.push(session);
  return session;
}

describe('the wizard in a real terminal (tmux 100×30)', () => {
  it('shows the home screen of the sandbox, opens the help overlay, and q restores the terminal', async () => {
    const tui = await open();
    const home = await tui.waitFor(/db .*● up/);
    expect(home.split("\n")[0]).toMatch(/sb\/catmaid · /);
    expect(home).toContain('2020.02.15');
    expect(home).toMatch(/master @ [0-9a-f]{7}/);
    expect(home).toMatch(/Home .*\? help · q quit/);
    expect((await tui.pane()).alternate).toBe(true);

    await tui.keys('?');
    const help = await tui.waitFor('Everywhere');
    expect(help).toMatch(/q +quit/);
    await tui.keys('Escape');
    const back = await tui.waitForGone('Everywhere');
    expect(back).toMatch(/Home .*q quit/);

    await tui.keys('q');
    const exit = await tui.waitForExit();
    expect(exit).toEqual({ status: 0, alternate: false });
  });

  it('leaves the alternate screen on SIGTERM and SIGHUP too', async () => {
    for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
      const tui = await open();
      await tui.waitFor(/db .*● up/);
      process.kill(await tui.pid(), signal);
      const exit = await tui.waitForExit();
      expect(exit, signal).toEqual({ status: 128 + os.constants.signals[signal], alternate: false });
      await tui.kill();
    }
  });

  it('says the terminal is too small below 80×24 instead of drawing a broken layout', async () => {
    const tui = await open([], { width: 70, height: 20 });
    const screen = await tui.waitFor(/too small/i);
    expect(screen).toMatch(/70.?×.?20|70x20/);
    await tui.keys('q');
    expect((await tui.waitForExit()).alternate).toBe(false);
  });
});
