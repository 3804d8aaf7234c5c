import { execa } from 'execa';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRelease } from '../../src/sandbox/index.js';
import { binPath } from '../helpers/cli.js';
import { createUpdateWorld, LOCK, readJournalIn, release, type Fingerprint, type UpdateWorld, UPDATE_TEST_TIMEOUT } from './update-fixtures.js';

/**
 * Updates that fail, and the way back: releases on side branches of the sandbox's origin carry a requirement
 * pip cannot install offline and a migration that dies half-way (atomic = False: its first statements stay).
 * Each test ends with `update --rollback` and the fingerprint (commit, branch, checksums of treenode and
 * django_migrations, the table list) as it was before.
 */
let world: UpdateWorld;
let before: Fingerprint;
beforeAll(async () => {
  world = await createUpdateWorld();
  const origin = world.sandbox.origin;
  await addRelease(origin, release('2022.01.10', { requirements: ['catmaid-no-such-package==9.9.9'], notes: ['Adds a new dependency.'] }), 'bad-pip');
  await addRelease(
    origin,
    release('2022.02.20', {
      notes: ['The radius migration rewrites every treenode.'],
      migrations: [{
        name: 'radius_half_way',
        atomic: false,
        sql: ['UPDATE treenode SET radius = 42', 'CREATE TABLE catmaid_half_done (id integer)', 'SELECT 1/0'],
      }],
    }),
    'bad-migration',
  );
  before = await world.fingerprint();
});
afterAll(async () => {
  await world?.destroy();
});

async function rollBack(): Promise<string> {
  const undo = await world.cli(['update', '--rollback', '--yes']);
  expect(undo.stderr).toBe('');
  expect(undo.exitCode).toBe(0);
  expect(await world.fingerprint()).toEqual(before);
  return undo.stdout;
}

describe('a failing update and its rollback', { timeout: UPDATE_TEST_TIMEOUT }, () => {
  it('pip cannot install a requirement: exit 1 at the pip step, the rollback command printed; rollback restores everything', async () => {
    const run = await world.cli(['update', '--to', '2022.01.10', '--yes']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('✓ git checkout 2022.01.10');
    expect(run.stdout).toMatch(/✗ pip install -r requirements\.txt/);
    expect(run.stderr).toMatch(/\| .*catmaid-no-such-package/);
    expect(run.stderr).toContain('catmaid-tui: step failed: pip install -r requirements.txt');
    expect(run.stderr).toContain(`roll back with: catmaid-tui -C ${world.root} update --rollback`);
    const journal = await readJournalIn(world.updatesDir);
    expect(journal?.status).toBe('failed');
    expect(journal?.steps.map((s) => `${s.id}:${s.state}`)).toEqual(['backup:done', 'git:done', 'pip:failed']);
    expect(await world.git(['rev-parse', 'HEAD'])).not.toBe(before.head);
    await rollBack();
  });

  it('a migration fails half-way: the database is changed, and the rollback restores it to the same checksum', async () => {
    const run = await world.cli(['update', '--to', '2022.02.20', '--yes']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/✗ manage\.py migrate +\d/);
    expect(run.stderr).toMatch(/division by zero/);
    const broken = await world.fingerprint();
    expect(broken.treenodes).not.toBe(before.treenodes);
    expect(broken.tables).toContain('catmaid_half_done');
    // The dump's --clean drops only what it holds: the table the half-done migration made is dropped apart.
    expect(await rollBack()).toContain('dropped what the update had created: public.catmaid_half_done');
  });

  it('the CLI killed (-9, with its children) in the middle of a step leaves a stale lock; update --rollback still works', async () => {
    // Its own process group, so the kill takes the running step too, as a dropped SSH session would.
    const child = execa(process.execPath, [binPath, '-C', world.root, 'update', '--to', '2022.02.20', '--yes'], {
      env: { ...world.env, NO_COLOR: '1' },
      detached: true,
      reject: false,
      stdin: 'ignore',
    });
    let journal = await readJournalIn(world.updatesDir);
    for (let i = 0; i < 600 && !(journal?.status === 'running' && journal.steps.some((s) => s.id === 'pip')); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      journal = await readJournalIn(world.updatesDir);
    }
    expect(journal?.status).toBe('running');
    process.kill(-(child.pid as number), 'SIGKILL');
    await child;
    const lock = JSON.parse(await fs.readFile(path.join(world.updatesDir, LOCK), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(child.pid);
    expect(await world.git(['rev-parse', 'HEAD'])).not.toBe(before.head);
    await rollBack();
    expect((await readJournalIn(world.updatesDir))?.status).toBe('rolled-back');
  });

  it('refuses a second update (exit 3) while a live process holds the lock, and changes nothing', async () => {
    const holder = execa('sleep', ['60'], { reject: false });
    try {
      const lock = path.join(world.updatesDir, LOCK);
      const content = JSON.stringify({ pid: holder.pid, started: null, user: 'someone', host: 'here', since: '2026-01-01T00:00:00Z' });
      await fs.writeFile(lock, content);
      const run = await world.cli(['update', '--yes', '--skip-backup']);
      expect(run.exitCode).toBe(3);
      expect(run.stderr).toContain(`catmaid-tui: an update of ${world.root} is already in progress (pid ${holder.pid}, user someone on here`);
      expect(await world.fingerprint()).toEqual(before);
      expect(await fs.readFile(lock, 'utf8')).toBe(content);
      await fs.rm(lock);
    } finally {
      holder.kill();
      await holder;
    }
  });
});
