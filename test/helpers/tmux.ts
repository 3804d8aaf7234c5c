import { execa } from 'execa';
import { catmaidTuiCommand, type RunnerName } from './cli.js';
import { pathWithoutNode } from './no-node.js';

/**
 * catmaid-tui in a real terminal: a private tmux server, a 100×30 window, keys sent as a person would type
 * them, and the screen read back with capture-pane. It runs with node removed from PATH (unless `env` sets PATH),
 * as bin/catmaid-tui or as the single executable (`runner`, else CATMAID_TUI_RUNNER: see helpers/cli.ts).
 */
export interface TmuxSession {
  /** The visible screen as text. */
  screen(): Promise<string>;
  /** Wait until the screen matches (polling, not sleeping blindly); fails with the last screen. */
  waitFor(match: RegExp | string, timeoutMs?: number): Promise<string>;
  /** Press `key` (one at a time, each time waiting for the screen to change) until the screen matches. */
  moveUntil(match: RegExp, key?: string, max?: number): Promise<string>;
  /** Wait until the screen no longer shows something. */
  waitForGone(match: RegExp | string, timeoutMs?: number): Promise<string>;
  /** tmux key names: 'q', 'Escape', 'Enter', 'Down', 'C-c' … */
  keys(...keys: string[]): Promise<void>;
  /** Text typed literally. */
  type(text: string): Promise<void>;
  /** Pane state: whether the program ended, its exit status, whether the alternate screen is still on. */
  pane(): Promise<{ dead: boolean; status: number | null; alternate: boolean }>;
  waitForExit(timeoutMs?: number): Promise<{ status: number; alternate: boolean }>;
  /**
   * The pid of catmaid-tui itself: the one child of the pane's shell. (`pgrep -n -f 'catmaid-tui -C …'` can pick
   * a child catmaid-tui has just forked and not yet exec'd, which still bears its command line.)
   */
  pid(): Promise<number>;
  kill(): Promise<void>;
}

let counter = 0;
const EXIT_MARK = 'catmaid-tui exited with status ';

export async function startInTmux(
  args: string[],
  options: { env?: Record<string, string>; width?: number; height?: number; runner?: RunnerName } = {},
): Promise<TmuxSession> {
  const socket = `catmaid-tui-test-${process.pid}-${counter++}`;
  const tmux = (...a: string[]) => execa('tmux', ['-L', socket, ...a], { reject: false });
  const env = { TERM: 'xterm-256color', PATH: pathWithoutNode(), ...options.env };
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  // The shell around catmaid-tui prints its exit status and stays, so the status and the terminal's state
  // after the exit can be read from the pane (tmux itself does not always record a dead pane's status).
  const program = [...catmaidTuiCommand(options.runner), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const command = `${program}; printf '\\n${EXIT_MARK}%s\\n' $?; sleep 600`;
  const started = await tmux(
    'new-session', '-d', '-x', String(options.width ?? 100), '-y', String(options.height ?? 30),
    ...envArgs, command,
  );
  if (started.exitCode !== 0) throw new Error(`tmux failed: ${started.stderr}`);
  await tmux('set-option', '-g', 'remain-on-exit', 'on');

  const session: TmuxSession = {
    async screen() {
      return (await tmux('capture-pane', '-p')).stdout;
    },
    async waitFor(match, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        last = await session.screen();
        if (typeof match === 'string' ? last.includes(match) : match.test(last)) return last;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`screen never showed ${String(match)}; last screen:\n${last}`);
    },
    async waitForGone(match, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        last = await session.screen();
        if (!(typeof match === 'string' ? last.includes(match) : match.test(last))) return last;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`screen still shows ${String(match)}; last screen:\n${last}`);
    },
    async moveUntil(match, key = 'Down', max = 40) {
      // After each key: wait for the screen to change, then to stay still for a moment, so that a redraw for
      // another reason (a clock, a refresh) is not taken for the key's effect and no key is sent twice.
      const settle = async (before: string) => {
        const deadline = Date.now() + 3000;
        let now = before;
        while (now === before && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          now = await session.screen();
        }
        for (let still = 0; still < 3 && Date.now() < deadline + 2000; ) {
          await new Promise((resolve) => setTimeout(resolve, 80));
          const next = await session.screen();
          still = next === now ? still + 1 : 0;
          now = next;
        }
        return now;
      };
      let last = await session.screen();
      for (let i = 0; i < max; i += 1) {
        if (match.test(last)) return last;
        await tmux('send-keys', key);
        last = await settle(last);
      }
      throw new Error(`pressing ${key} never showed ${String(match)}; last screen:\n${last}`);
    },
    async keys(...keys) {
      await tmux('send-keys', ...keys);
    },
    async type(text) {
      await tmux('send-keys', '-l', text);
    },
    async pane() {
      const out = (await tmux('display-message', '-p', '#{pane_dead} #{pane_dead_status} #{alternate_on}')).stdout.trim();
      const [dead, status, alternate] = out.split(' ');
      return { dead: dead === '1', status: status === '' || status === undefined ? null : Number(status), alternate: alternate === '1' };
    },
    async waitForExit(timeoutMs = 10_000) {
      const screen = await session.waitFor(new RegExp(`${EXIT_MARK}\\d+`), timeoutMs);
      const status = Number(new RegExp(`${EXIT_MARK}(\\d+)`).exec(screen)?.[1]);
      return { status, alternate: (await session.pane()).alternate };
    },
    async pid() {
      const shell = (await tmux('display-message', '-p', '#{pane_pid}')).stdout.trim();
      const children = (await execa('pgrep', ['-P', shell], { reject: false })).stdout.trim().split('\n').filter(Boolean);
      if (children.length !== 1) throw new Error(`the pane's shell ${shell} has ${children.length} children, not catmaid-tui alone`);
      return Number(children[0]);
    },
    async kill() {
      await tmux('kill-server');
    },
  };
  return session;
}
