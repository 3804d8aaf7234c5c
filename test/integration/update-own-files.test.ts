import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpdateWorld, type UpdateWorld } from './update-fixtures.js';

/**
 * Files catmaid-tui itself put into the checkout are not the admin's local changes: after `extensions add`
 * (a file in django/staticext/, which a real .gitignore does not ignore, and settings.py's managed block), the
 * update's pre-flight says the working tree is clean. A file of the admin's own there still counts.
 */
let world: UpdateWorld;
beforeAll(async () => {
  world = await createUpdateWorld();
});
afterAll(async () => {
  await world?.destroy();
});

describe('extensions add, then update', () => {
  it('is not refused: the extension file is catmaid-tui\'s own, git sees it untracked, the pre-flight does not', async () => {
    const file = path.join(path.dirname(world.sandbox.dir), 'tracing-tools.js');
    await fs.writeFile(file, 'window.CATMAID_TRACING_TOOLS = true;\n');
    const add = await world.cli(['extensions', 'add', file, '--yes']);
    expect(add.stderr).toBe('');
    expect(add.exitCode).toBe(0);
    expect(await world.git(['status', '--porcelain', '--untracked-files=all'])).toContain('?? django/staticext/tracing-tools.js');

    const run = await world.cli(['update', '--dry-run']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('✓ working tree clean');
    const info = JSON.parse((await world.cli(['info', '--json'])).stdout) as { git: { dirty: boolean; ownFiles: string[] } };
    expect(info.git).toMatchObject({ dirty: false, ownFiles: ['django/staticext/tracing-tools.js'] });
  });

  it("still counts a file of the admin's own in the same folder", async () => {
    await fs.writeFile(path.join(world.root, 'django', 'staticext', 'not-listed.js'), '// mine\n');
    const run = await world.cli(['update', '--dry-run']);
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toContain('✗ working tree has 1 uncommitted change(s)');
    expect(run.stdout).toContain('?? django/staticext/not-listed.js');
  });
});
