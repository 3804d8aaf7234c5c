import { execa } from 'execa';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServicesInfo } from '../../src/sandbox/types.js';
import { privateHome } from '../helpers/cli.js';
import { createTestSandbox, type TestSandboxWithServices } from '../helpers/sandbox.js';
import { startInTmux, type TmuxSession } from '../helpers/tmux.js';
import { get } from '../integration/services-fixtures.js';

/**
 * The whole walk, as an admin does it in a terminal (tmux 100×30), on a sandbox whose CATMAID runs under
 * supervisord behind nginx, checked out at its oldest release: Home → Update → t: the tracked branch → the notes
 * of both releases passed, commands line for line → u → y → the services stop, nginx answers with the
 * maintenance page while the steps run, the services start again and the health checks pass.
 */
let sb: TestSandboxWithServices;
let services: ServicesInfo;
let tui: TmuxSession | undefined;

beforeAll(async () => {
  sb = await createTestSandbox({ services: true });
  services = sb.services;
  // Back to the oldest release: its code, and the database at its migrations.
  const python = path.join(sb.root, 'django', 'env', 'bin', 'python');
  await execa(python, [path.join(sb.root, 'django', 'projects', 'manage.py'), 'migrate', 'catmaid', '0003_add_stats_summary'], { cwd: sb.root });
  await execa('git', ['-C', sb.root, 'checkout', '--quiet', '-B', 'master', '2019.06.20']);
  await execa('git', ['-C', sb.root, 'branch', '--quiet', '--set-upstream-to=origin/master']);
}, 180_000);
afterAll(async () => {
  await tui?.kill();
  await sb?.destroy();
});

describe('the update wizard on CATMAID with its services', () => {
  it('updates the oldest release to master: services stopped, maintenance page, steps, services started, health ✓', async () => {
    const env = privateHome(path.join(path.dirname(sb.dir), 'home'));
    tui = await startInTmux(['-C', sb.root], { env, width: 100, height: 30 });
    await tui.waitFor(/db .*● up/, 30_000);
    await tui.moveUntil(/› Update/, 'j', 12);
    await tui.keys('Enter');

    await tui.waitFor('Release notes to read (2)', 60_000);
    let screen = await tui.waitFor('t target');
    expect(screen).toMatch(/Update · 2019\.06\.20 → master \(2021\.12\.21-2-g[0-9a-f]{7}\)/);
    expect(screen).toContain('! services running: catmaid:uwsgi');

    // The target list: the tracked branch first, then every newer release; the branch is picked again.
    await tui.keys('t');
    screen = await tui.waitFor('Update to …');
    expect(screen).toMatch(/› master: 2021\.12\.21-2-g[0-9a-f]{7} \(tracked branch\) +✓ shown now/);
    expect(screen).toMatch(/2020\.02\.15 +release/);
    expect(screen).toMatch(/2021\.12\.21 +release/);
    await tui.keys('Enter');
    await tui.waitForGone('Update to …');
    screen = await tui.waitFor('Release notes to read (2)', 60_000);

    // Page through the notes: the supervisord entry of 2020.02.15 is shown line for line.
    let seen = screen;
    for (let i = 0; i < 20 && !/I have read them/.test(screen); i += 1) {
      const shown = /lines (\d+)–/.exec(screen)?.[1];
      await tui.keys('Space');
      screen = await tui.waitForGone(`lines ${shown}–`, 5000);
      seen += `\n${screen}`;
    }
    for (const line of ['[program:catmaid-celery]', 'user = www-data', 'redirect_stderr = true', 'STATS_CACHE_SECONDS = 3600']) {
      expect(seen).toMatch(new RegExp(`│ +${line.replace(/[[\]./]/g, '\\$&')} +│`));
    }
    // A line wider than the panel is cut into marked rows, never joined with the next.
    expect(seen).toMatch(/│ +directory = \/home\/catmaid\/catmaid\/django\/\S* *│\n.*││ +↪ \S+ +│/);
    // Two commands in a row (2021.12.21's fenced block): each on its own row, a cut one continued on a marked row.
    expect(seen).toMatch(/││ +sudo -u postgres psql -d catmaid -c 'ALTER ?E?[^\n│]*│\n[^\n]*││ +↪ +E?X?TENSION postgis UPDATE;' *│\n[^\n]*││ +sudo -u postgres psql -d template1 -c 'ALTER[^\n│]*│\n[^\n]*││ +↪ +E?X?TENSION postgis UPDATE;' *│/);
    await tui.waitFor('I have read them');
    await tui.keys('r');
    await tui.waitFor('[ read ✓ ]');
    await tui.keys('u');
    screen = await tui.waitFor('Yes, update');
    expect(screen).toContain('catmaid:celery-beat are stopped, nginx shows the maintenance page');
    await tui.keys('y');

    // While the steps run, nginx answers with the maintenance page.
    const statuses = new Map<number, string>();
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline && !/Updated 2019\.06\.20 →|✗ /.test(await tui.screen())) {
      const answer = await get(services.url).catch(() => ({ status: 0, body: '' }));
      if (!statuses.has(answer.status)) statuses.set(answer.status, answer.body);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(statuses.get(502)).toContain('CATMAID is down for maintenance');

    screen = await tui.waitFor(/Updated 2019\.06\.20 → 2021\.12\.21-2-g[0-9a-f]{7}; 2 migration\(s\) applied/, 10_000);
    for (const step of ['stop the services', 'maintenance page', 'backup', 'git pull --ff-only origin master', 'manage.py migrate ', 'start the services', 'health: GET', 'health: websocket', 'health: celery']) {
      expect(screen).toMatch(new RegExp(`✓ ${step.replace(/[.-]/g, '\\$&')}`));
    }
    expect(screen).toContain('the services run again and answered the health checks');
    expect((await get(services.url)).status).toBe(200);
    const head = (await execa('git', ['-C', sb.root, 'rev-parse', 'HEAD'])).stdout;
    expect(head).toBe((await execa('git', ['-C', sb.root, 'rev-parse', 'origin/master'])).stdout);

    await tui.keys('Escape');
    await tui.waitFor(/Home .*q quit/);
    await tui.keys('q');
    expect(await tui.waitForExit()).toEqual({ status: 0, alternate: false });
  }, 420_000);
});
