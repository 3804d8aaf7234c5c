import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../src/tasks/db/connect.js';
import { discoverInstance } from '../../src/tasks/instance/index.js';
import { privateHome, runCli } from '../helpers/cli.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { startInTmux, type TmuxSession } from '../helpers/tmux.js';

/**
 * `catmaid-tui restore` at a terminal while a client sits idle in a transaction (issue 12.4): who is connected is
 * listed before the typed confirmation, the lock wait names the holder, and the admin's answer ends its session.
 */
let sb: TestSandbox;
let tui: TmuxSession | undefined;
let holder: pg.Client | undefined;
beforeAll(async () => {
  sb = await createTestSandbox();
});
afterAll(async () => {
  await tui?.kill();
  await holder?.end().catch(() => undefined);
  await sb?.destroy();
});

describe('restore at a terminal, with a client holding a lock', () => {
  it('lists the sessions before asking, shows who holds the lock, and ends that session when told to', async () => {
    const env = privateHome(path.join(path.dirname(sb.dir), 'home'));
    const made = await runCli(['-C', sb.root, 'backup', '--json'], { env });
    expect(made.stderr).toBe('');
    const dump = (JSON.parse(made.stdout) as { path: string }).path;
    const info = await discoverInstance({ name: 'sb', root: sb.root, via: '--catmaid-dir' }, { processes: false });
    holder = new pg.Client(clientConfig(info.settings.settings.database, { application_name: 'forgotten psql' }));
    holder.on('error', () => undefined);
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM treenode_connector LIMIT 1');
    const pid = (await holder.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;

    tui = await startInTmux(['-C', sb.root, 'restore', dump, '--no-safety-backup'], { env, width: 120, height: 30 });
    let screen = await tui.waitFor('Type its name to go on', 30_000);
    expect(screen).toMatch(new RegExp(`1 other session is connected to ${sb.database}:\\n +pid ${pid} \\S+ \\(forgotten psql, 127\\.0\\.0\\.1, idle in transaction, since \\d+ s\\)\\n(.*\\n)*This replaces all data`));
    await tui.type(sb.database);
    await tui.keys('Enter');
    screen = await tui.waitFor('[w/c/t/a]', 30_000);
    expect(screen).toMatch(new RegExp(`waiting for a lock held by pid ${pid} \\S+ \\(forgotten psql`));
    await tui.type('t');
    await tui.keys('Enter');
    screen = await tui.waitFor(/catmaid-tui exited with status 0/, 120_000);
    expect(screen).toMatch(/restored \S+\s+into catmaid/);
    await expect(holder.query('SELECT 1')).rejects.toThrow();
  }, 240_000);
});
