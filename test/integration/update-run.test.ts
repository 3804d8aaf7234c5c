import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpdateWorld, LOCK, readJournalIn, updateFiles, type Fingerprint, type UpdateWorld, UPDATE_TEST_TIMEOUT } from './update-fixtures.js';

/**
 * Updates that work, on one sandbox (checkout at 2020.02.15 on master; origin has 2021.12.21 and two commits
 * after it): along the tracked branch with a backup, rolled back from the command line, then to the newest tag.
 * Real git, pip, Django migrate and collectstatic.
 */
let world: UpdateWorld;
let before: Fingerprint;
beforeAll(async () => {
  world = await createUpdateWorld();
  before = await world.fingerprint();
});
afterAll(async () => {
  await world?.destroy();
});

describe('catmaid-tui update on a sandbox', { timeout: UPDATE_TEST_TIMEOUT }, () => {
  it('updates along the tracked branch: backup first, fast-forward to origin/master, summary, journal done', async () => {
    const originMaster = await world.git(['rev-parse', 'origin/master']);
    const run = await world.cli(['update', '--yes']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('✓ git pull --ff-only origin master');
    for (const step of ['pip install -r requirements.txt', 'manage.py migrate --plan', 'manage.py migrate', 'manage.py collectstatic -l', 'manage.py check']) {
      expect(run.stdout).toMatch(new RegExp(`✓ ${step.replace(/[.-]/g, '\\$&')} +\\d+\\.\\d s`));
    }
    expect(run.stdout).toMatch(/Updated 2020\.02\.15 → 2021\.12\.21-2-g[0-9a-f]{7}; 1 migration\(s\) applied\./);
    expect(run.stdout).toMatch(/Backup from before: .*catmaid_\d{12}_[0-9a-f]{7}\.sql/);

    const after = await world.fingerprint();
    expect(after.head).toBe(await world.git(['rev-parse', 'origin/master']));
    expect(after.head).not.toBe(before.head);
    expect(originMaster).toBe(after.head);
    expect(after.branch).toBe('master');
    expect(after.status).toBe('');
    const journal = await readJournalIn(world.updatesDir);
    expect(journal?.status).toBe('done');
    expect(journal?.previous).toEqual({ commit: before.head, branch: 'master', describe: '2020.02.15' });
    expect(journal?.steps.map((s) => `${s.id}:${s.state}`)).toEqual(
      ['backup', 'git', 'pip', 'migrate-plan', 'migrate', 'collectstatic', 'check'].map((id) => `${id}:done`),
    );
    expect(journal?.backup && (await fs.stat(journal.backup)).size).toBeGreaterThan(1000);
    // The lock is given back.
    expect((await updateFiles(world.updatesDir)).filter((n) => n === LOCK)).toEqual([]);
  });

  it('update --rollback puts the commit, the branch and the database back exactly as before', async () => {
    const undo = await world.cli(['update', '--rollback', '--yes']);
    expect(undo.exitCode).toBe(0);
    expect(undo.stdout).toContain('code back at 2020.02.15 (master)');
    expect(undo.stdout).toMatch(/database restored from .*catmaid_\d{12}_[0-9a-f]{7}\.sql/);
    expect(await world.fingerprint()).toEqual(before);
    expect((await readJournalIn(world.updatesDir))?.status).toBe('rolled-back');

    const again = await world.cli(['update', '--rollback', '--yes']);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/was already rolled back/);
  });

  it('updates to the newest release tag: tree at the tag, its migration recorded, static files collected as links', async () => {
    const run = await world.cli(['update', '--to', '2021.12.21', '--yes', '--skip-backup']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('NO BACKUP (--skip-backup)');
    expect(run.stdout).toContain('✓ git checkout 2021.12.21');
    expect(run.stdout).toMatch(/Updated 2020\.02\.15 → 2021\.12\.21; 1 migration\(s\) applied\./);

    const after = await world.fingerprint();
    expect(after.head).toBe(await world.git(['rev-parse', '2021.12.21^{commit}']));
    expect(after.status).toBe('');
    expect(await world.git(['describe', '--tags', '--exact-match'])).toBe('2021.12.21');
    const rows = await world.sql("SELECT name FROM django_migrations WHERE app = 'catmaid' ORDER BY name");
    expect(rows.trim().split('\n')).toEqual(['0001_initial', '0002_derived_table_triggers', '0003_add_stats_summary', '0004_add_skeleton_summary', '0005_fill_skeleton_summary']);
    expect(Number(await world.sql('SELECT count(*) FROM catmaid_skeleton_summary'))).toBeGreaterThan(0);

    const collected = path.join(world.root, 'django', 'static', 'catmaid', 'skeleton-summary.js');
    expect((await fs.lstat(collected)).isSymbolicLink()).toBe(true);
    expect(await fs.realpath(collected)).toBe(path.join(world.root, 'django', 'applications', 'catmaid', 'static', 'catmaid', 'skeleton-summary.js'));

    const journal = await readJournalIn(world.updatesDir);
    expect(journal).toMatchObject({ status: 'done', backup: null });
    const up = await world.cli(['update', '--to', '2021.12.21', '--yes', '--skip-backup']);
    expect(up.exitCode).toBe(0);
    expect(up.stdout).toContain('already at 2021.12.21: nothing to do');
  });
});
