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
    const mine = path.join(world.root, 'django', 'staticext', 'not-listed.js');
    await fs.writeFile(mine, '// mine\n');
    const run = await world.cli(['update', '--dry-run']);
    await fs.rm(mine);
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toContain('✗ working tree has 1 uncommitted change(s)');
    expect(run.stdout).toContain('?? django/staticext/not-listed.js');
  });
});

describe('an instance without its virtualenv', () => {
  it("refuses to let pip install into the system's Python, says how to make django/env; --system-python allows it", async () => {
    const env = path.join(world.root, 'django', 'env');
    const away = path.join(path.dirname(world.sandbox.dir), 'env.away');
    await fs.rename(env, away);
    try {
      const run = await world.cli(['update', '--dry-run']);
      expect(run.exitCode).toBe(3);
      expect(run.stdout).toContain(`✗ no virtualenv at ${env}: pip would install into the system's Python (override: --system-python)`);
      expect(run.stdout).toContain(`make one: python3 -m venv ${env} && ${env}/bin/python -m pip install -r ${path.join(world.root, 'django', 'requirements.txt')}`);
      expect(run.stdout).toContain('      $ python3 -m pip install');
      const allowed = await world.cli(['update', '--dry-run', '--system-python']);
      expect(allowed.exitCode).toBe(0);
      expect(allowed.stdout).toContain("! no virtualenv: pip installs into the system's Python (--system-python)");
      expect(allowed.stdout).not.toContain('✗ no virtualenv');
    } finally {
      await fs.rename(away, env);
    }
  });
});
