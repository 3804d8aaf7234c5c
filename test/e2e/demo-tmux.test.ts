import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateHome, runCli } from '../helpers/cli.js';
import { startInTmux, type TmuxSession } from '../helpers/tmux.js';

/**
 * `catmaid-tui demo` as the README tells a newcomer to run it, in a real terminal with a home of its own: it
 * builds a new sandbox, opens the wizard on it, and on quitting says what keeps running and how to stop it.
 */
let home: string;
let tmux: TmuxSession | undefined;
const sandboxDir = () => path.join(home, 'data', 'catmaid-tui', 'sandbox');

beforeAll(() => {
  home = fs.mkdtempSync('/tmp/catmaid-tui-demo-');
  fs.chmodSync(home, 0o755); // the cluster runs as postgres, which must get through
});
afterAll(async () => {
  await tmux?.kill();
  if (fs.existsSync(path.join(sandboxDir(), 'sandbox.json'))) await runCli(['sandbox', 'destroy', sandboxDir()]);
  fs.rmSync(home, { recursive: true, force: true });
});

describe('catmaid-tui demo', () => {
  it('opens the wizard on a new sandbox; quitting says its PostgreSQL and services keep running, where, and how to stop or remove them', async () => {
    // Wide enough that the paths in the message are not wrapped.
    tmux = await startInTmux(['demo'], { env: { NO_COLOR: '1', ...privateHome(home) }, width: 220, height: 40 });
    const screen = await tmux.waitFor('Actions', 120_000);
    expect(screen.split('\n')[0]).toContain(`${sandboxDir()}/catmaid · 2020.02.15`);
    expect(screen).toMatch(/Database +● up/);
    await tmux.keys('q');
    const { status, alternate } = await tmux.waitForExit(30_000);
    expect({ status, alternate }).toEqual({ status: 0, alternate: false });

    const status2 = JSON.parse((await runCli(['sandbox', 'status', '--json', sandboxDir()])).stdout);
    expect(status2.running).toBe(true);
    const after = await tmux.screen();
    expect(after).toContain(`demo: the sandbox's PostgreSQL ${status2.pgVersion} keeps running on 127.0.0.1:${status2.port} (data in ${status2.pgDir})`);
    expect(status2.services.running).toBe(true);
    expect(after).toContain(`demo: CATMAID's services keep running too: ${status2.services.url} (nginx), uWSGI, daphne and celery under supervisord (${status2.services.supervisorConf})`);
    expect(after).toContain(`demo:   stop them:    catmaid-tui sandbox stop ${sandboxDir()}    (catmaid-tui demo starts them again)`);
    expect(after).toContain(`demo:   remove all: catmaid-tui sandbox destroy ${sandboxDir()}`);
  });
});
