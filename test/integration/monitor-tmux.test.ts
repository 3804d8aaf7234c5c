import { execa, execaSync } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoad, type LoadHandle } from '../../src/sandbox/load/index.js';
import { discoverInstance } from '../../src/tasks/instance/index.js';
import { binPath } from '../helpers/cli.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/**
 * The Monitor screen in a real terminal (tmux) against a sandbox with traffic: it draws the sessions, answers
 * keys, and leaves the terminal as it found it: the built `catmaid-tui monitor`, which opens the screen over Home.
 */
const session = `monitor-test-${process.pid}`;
let sandbox: TestSandbox;
let load: LoadHandle;

const capture = (): string => execaSync('tmux', ['capture-pane', '-p', '-t', session]).stdout;
const keys = (...k: string[]) => execaSync('tmux', ['send-keys', '-t', session, ...k]);

async function waitForScreen(check: (screen: string) => boolean, what: string, ms = 20_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const screen = capture();
    if (check(screen)) return screen;
    if (Date.now() > deadline) throw new Error(`${what} never showed; screen:\n${screen}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  sandbox = await createTestSandbox();
  const info = await discoverInstance({ name: 'sb', root: sandbox.root, via: '--catmaid-dir' }, { database: false, processes: false });
  load = await startLoad({ db: info.settings.settings.database, workers: 3, connMaxAge: 60 });
}, 240_000);

afterAll(async () => {
  await execa('tmux', ['kill-session', '-t', session], { reject: false });
  await load?.stop();
  await sandbox?.destroy();
});

describe('the Monitor screen in tmux', () => {
  it('shows the sandbox traffic, answers keys, and restores the terminal on q', async () => {
    const command = `${process.execPath} ${binPath} -C ${sandbox.root} monitor; echo EXITED $?; sleep 30`;
    await execa('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '36', command],
      { env: { ...process.env, NODE_ENV: 'production', TERM: 'xterm-256color' } });
    const first = await waitForScreen((s) => s.includes('refresh 1 s') || s.includes('⏎ open'), 'the first frame', 40_000);
    if (!first.includes('refresh 1 s')) keys('Enter');
    const screen = await waitForScreen((s) => /\[blocked by \d+\]/.test(s) && s.includes('pg_sleep'), 'the sessions');
    expect(screen).toMatch(/⚠\s+\d+ .*idle in txn/);
    expect(screen).toContain("without pg_read_all_stats, other roles' queries are hidden");
    expect(screen).toMatch(/leak watch: /);

    keys('Space');
    await waitForScreen((s) => s.includes('⏸ paused'), 'pause');
    keys('Space', 'i');
    await waitForScreen((s) => !s.includes('⏸ paused') && !s.includes('idle hidden (i)'), 'idle sessions shown');
    keys('/');
    keys('-l', 'pg_sleep');
    keys('Enter');
    await waitForScreen((s) => s.includes('filter: pg_sleep') && /2 of \d+ sessions/.test(s), 'the filter');
    keys('Enter');
    const detail = await waitForScreen((s) => s.includes('Query of backend'), 'the full query');
    expect(detail).toContain('long report');
    keys('Escape');
    await waitForScreen((s) => !s.includes('Query of backend') && s.includes('filter: pg_sleep'), 'back to the table');
    // The blocking tree: the load's lock holder as the root, its waiter under it, each with its program (the
    // load runs inside the test's node process: "other").
    keys('t');
    const tree = await waitForScreen((s) => s.includes('blocking tree') && s.includes('[root, blocks 1]'), 'the blocking tree');
    expect(tree).toMatch(/└─ \d+\s+node \S+ .*active/);
    expect(tree).toMatch(/programs {2}other \d+/);
    keys('t');
    await waitForScreen((s) => !s.includes('blocking tree'), 'the table again');

    // The shell hears q once the detail view's hold is released, a render later: on a starved CPU the first q
    // can come before that, so a second one is sent if the first was too early.
    keys('q');
    const after = await waitForScreen((s) => s.includes('EXITED'), 'the exit', 5000)
      .catch(() => (keys('q'), waitForScreen((s) => s.includes('EXITED'), 'the exit')));
    expect(after).toContain('EXITED 0');
    expect(after).not.toContain('Monitor');
  }, 120_000);
});
