import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSql } from '../../src/sandbox/index.js';
import { privateHome, runCli } from '../helpers/cli.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { startInTmux, type TmuxSession } from '../helpers/tmux.js';

/**
 * The Restore screen in a real terminal (tmux 100×30) on a sandbox: a backup made with the CLI into a private
 * folder, data changed, then Home → Restore → the backup → details → the database name typed → every step ✓,
 * and the data is back as it was at the backup. Real pg_dump, psql and manage.py catmaid_rebuild_edge_table.
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

const count = async (table: string): Promise<number> => Number(await sandboxSql(sb.dir, `SELECT count(*) FROM ${table}`));

describe('the Restore screen in a real terminal', () => {
  it('walks Home → Restore → pick → typed name → steps ✓, and the treenodes are those of the backup again', async () => {
    const home = path.join(path.dirname(sb.dir), 'home');
    const env = privateHome(home);
    const backup = await runCli(['-C', sb.root, 'backup', '--json'], { env });
    expect(backup.stderr).toBe('');
    expect(backup.exitCode).toBe(0);
    const made = JSON.parse(backup.stdout) as { path: string };
    const name = path.basename(made.path);
    expect(path.dirname(made.path).startsWith(path.join(home, 'data'))).toBe(true);

    const treenodes = await count('treenode');
    const edges = await count('treenode_edge');
    expect(treenodes).toBeGreaterThan(100);
    expect(edges).toBeGreaterThan(0);
    await sandboxSql(
      sb.dir,
      `INSERT INTO treenode (skeleton_id, location_x, location_y, location_z, radius, confidence, creation_time, edition_time, project_id, user_id, editor_id)
       SELECT skeleton_id, location_x + 1, location_y, location_z, radius, confidence, now(), now(), project_id, user_id, editor_id FROM treenode ORDER BY id LIMIT 25`,
    );
    expect(await count('treenode')).toBe(treenodes + 25);

    tui = await startInTmux(['-C', sb.root], { env, width: 100, height: 30 });
    await tui.waitFor(/db .*● up/);
    await tui.moveUntil(/› Restore/, 'j', 12);
    await tui.keys('Enter');

    let screen = await tui.waitFor(name, 30_000);
    expect(screen).toMatch(/Restore · backups in .*backups/);
    expect(screen).toMatch(new RegExp(`› ✓ verified .*${name.replace(/\./g, '\\.')}`));
    expect(screen).toMatch(/Home › Restore/);
    await tui.keys('Enter');

    screen = await tui.waitFor('r restores it over database', 30_000);
    expect(screen).toMatch(/sha256 +[0-9a-f]{16}… +✓ matches the manifest/);
    expect(screen).toMatch(/derived +edge tables left out: rebuilt after the restore/);
    expect(screen).toMatch(/no other sessions are connected to catmaid|other sessions? (is|are) connected to catmaid/);
    expect(screen).toContain('✓ complete and readable');
    expect(screen).not.toContain('migrations may not match');
    await tui.keys('r');
    screen = await tui.waitFor(`Type ${sb.database} to confirm`);
    await tui.type(`${sb.database}x`);
    await tui.waitFor(`to confirm: ${sb.database}x`);
    await tui.keys('Enter');
    await tui.waitFor(`that is not "${sb.database}"`);
    // One key per write: the typed-word prompt reads a chunk of several keys as text.
    await tui.keys('BSpace');
    await tui.waitForGone(`to confirm: ${sb.database}x`);
    await tui.keys('Enter');

    screen = await tui.waitFor(`restored ${name} into ${sb.database}`, 120_000);
    expect(screen).toMatch(/✓ verify the dump \(sha256, complete\) +\d+\.\d s +sha256 [0-9a-f]{12}…/);
    expect(screen).toMatch(/✓ safety backup of the current database +\d+\.\d s +.*\.dump/);
    expect(screen).toMatch(/✓ restore into the database +\d+\.\d s/);
    expect(screen).toMatch(new RegExp(`✓ rebuild the derived tables +\\d+\\.\\d s +manage\\.py, rows ${edges} · `));
    expect(screen).toMatch(/safety backup: .*_\d{12}_[0-9a-f]{7}\.dump/);
    expect(screen).toContain(`derived tables: rebuilt by manage.py: treenode_edge ${edges} · treenode_connector_edge`);
    expect(screen).toMatch(/log: .*restore\.log/);

    expect(await count('treenode')).toBe(treenodes);
    expect(await count('treenode_edge')).toBe(edges);
    const folder = await fs.readdir(path.dirname(made.path));
    expect(folder.filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(folder.filter((f) => f.endsWith('.dump'))).toHaveLength(1);

    await tui.keys('Escape');
    await tui.waitFor(/Home .*q quit/);
    await tui.keys('q');
    expect(await tui.waitForExit()).toEqual({ status: 0, alternate: false });
  }, 300_000);
});
