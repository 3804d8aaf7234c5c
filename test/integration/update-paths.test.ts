import { execa } from 'execa';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_RELEASE } from '../../src/sandbox/history.js';
import { OriginWriter } from '../../src/sandbox/index.js';
import { createUpdateWorld, readJournalIn, release, type UpdateWorld, UPDATE_TEST_TIMEOUT } from './update-fixtures.js';

/**
 * The CLI's other ways through an update, run for real: `releases`, local commits joined with `--rebase` and
 * `--merge`, and an instance older than 2015.12.21 updated in two stages (to 2015.12.21, migrate, `migrate --fake
 * catmaid 0001_initial`, then on).
 */
let world: UpdateWorld;
let checkoutCommit: string;

beforeAll(async () => {
  world = await createUpdateWorld();
  checkoutCommit = await world.git(['rev-parse', 'HEAD']);
  // An admin with local commits has a git identity in the checkout.
  await world.git(['config', 'user.name', 'Local Admin']);
  await world.git(['config', 'user.email', 'admin@catmaid.invalid']);
});
afterAll(async () => {
  await world?.destroy();
});

const python = () => path.join(world.root, 'django', 'env', 'bin', 'python');
const manage = (...args: string[]) => execa(python(), [path.join(world.root, 'django', 'projects', 'manage.py'), ...args], { cwd: world.root });

/** A commit of the admin's own on master, on top of the checkout's release. */
async function localCommit(): Promise<string> {
  await fs.writeFile(path.join(world.root, 'LOCAL.md'), 'Our lab\'s notes.\n');
  await world.git(['add', 'LOCAL.md']);
  await world.git(['commit', '--quiet', '-m', 'Local: our notes']);
  return world.git(['rev-parse', 'HEAD']);
}

/** Back to the checkout's release, code and database (the migration master adds is unapplied). */
async function backToStart(): Promise<void> {
  await manage('migrate', 'catmaid', '0004_add_skeleton_summary');
  await world.git(['checkout', '--quiet', '-B', 'master', checkoutCommit]);
  await world.git(['branch', '--quiet', '--set-upstream-to=origin/master']);
}

describe('catmaid-tui releases', () => {
  it('lists the current release, the tracked branch and every newer release, in text and --json', async () => {
    const text = await world.cli(['releases']);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain('current release: 2020.02.15');
    expect(text.stdout).toMatch(/tracked branch: master: 2021\.12\.21-2-g[0-9a-f]{7} \(tracked branch\)/);
    expect(text.stdout).toContain(`newer releases (oldest first):\n  2021.12.21\n  ${DEV_RELEASE}\n`);
    const json = JSON.parse((await world.cli(['releases', '--json'])).stdout) as { current: string; newer: string[]; all: string[]; branch: { ref: string } };
    expect(json).toMatchObject({ current: '2020.02.15', newer: ['2021.12.21', DEV_RELEASE], branch: { ref: 'master' } });
    expect(json.all).toEqual(['2019.06.20', '2020.02.15', '2021.12.21', DEV_RELEASE]);
  });
});

describe('local commits', { timeout: UPDATE_TEST_TIMEOUT }, () => {
  it('are refused without a choice; --rebase puts them on top of origin/master', async () => {
    const mine = await localCommit();
    const refused = await world.cli(['update', '--yes', '--skip-backup']);
    expect(refused.exitCode).toBe(3);
    expect(refused.stdout).toContain('✗ 1 local commit(s) not on origin/master (override: --rebase or --merge)');
    expect(await world.git(['rev-parse', 'HEAD'])).toBe(mine);

    const run = await world.cli(['update', '--rebase', '--yes', '--skip-backup']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('✓ git pull --rebase origin master');
    expect(await world.git(['rev-parse', 'HEAD^'])).toBe(await world.git(['rev-parse', 'origin/master']));
    expect(await world.git(['log', '-1', '--format=%s'])).toBe('Local: our notes');
    expect((await readJournalIn(world.updatesDir))?.status).toBe('done');
  });

  it('--merge joins origin/master into them with a merge commit', async () => {
    await backToStart();
    const mine = await localCommit();
    const run = await world.cli(['update', '--merge', '--yes', '--skip-backup']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('✓ git pull --no-rebase --no-edit origin master');
    const parents = (await world.git(['log', '-1', '--format=%P'])).split(' ');
    expect(parents).toEqual([mine, await world.git(['rev-parse', 'origin/master'])]);
    expect(await world.sql("SELECT count(*) FROM django_migrations WHERE name = '0005_fill_skeleton_summary'")).toBe('1');
  });
});

describe('an instance older than 2015.12.21', { timeout: UPDATE_TEST_TIMEOUT }, () => {
  it('is updated in two stages, with migrate --fake catmaid 0001_initial between them', async () => {
    // A line of old releases from the initial import: 2015.12.21 squashed the migrations into 0001_initial.
    const origin = world.sandbox.origin;
    const initial = (await execa('git', ['-C', origin, 'rev-list', '--max-parents=0', 'master'])).stdout.trim();
    await execa('git', ['-C', origin, 'branch', 'legacy', initial]);
    const writer = await OriginWriter.open(origin, 'legacy');
    try {
      await writer.release(release('2015.9.11', { date: '2015-09-11T12:00:00+00:00', stable: false, notes: ['Requires PostgreSQL 9.4.'] }));
      await fs.rm(path.join(writer.work, 'django/applications/catmaid/migrations/0002_derived_table_triggers.py'));
      await writer.release(release('2015.12.21', { date: '2015-12-21T12:00:00+00:00', stable: false, notes: ['Migrations were squashed: update to this release first, then fake 0001_initial.'] }));
      await writer.release(release('2016.1.14', {
        date: '2016-01-14T12:00:00+00:00',
        stable: false,
        notes: ['A new table for the legacy feature.'],
        migrations: [{ name: 'legacy_feature', sql: ['CREATE TABLE catmaid_legacy_feature (id integer)'], reverseSql: ['DROP TABLE catmaid_legacy_feature'] }],
      }));
      await writer.publish();
    } finally {
      await writer.close();
    }
    await world.git(['fetch', '--quiet', '--tags', 'origin']);
    await world.git(['checkout', '--quiet', '-B', 'legacy', '2015.9.11']);
    await world.git(['branch', '--quiet', '--set-upstream-to=origin/legacy']);

    const run = await world.cli(['update', '--yes']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('! two stages: first 2015.12.21 (migrate, then migrate --fake catmaid 0001_initial), then legacy');
    const done = run.stdout.split('\n').filter((l) => l.startsWith('✓ ')).map((l) => l.replace(/ +\d+\.\d s$/, ''));
    expect(done).toEqual([
      '✓ backup',
      '✓ git merge --ff-only 2015.12.21',
      '✓ pip install -r requirements.txt',
      '✓ manage.py migrate --plan',
      '✓ manage.py migrate',
      '✓ manage.py migrate --fake catmaid 0001_initial',
      '✓ git pull --ff-only origin legacy',
      '✓ pip install -r requirements.txt',
      '✓ manage.py migrate --plan',
      '✓ manage.py migrate',
      '✓ manage.py collectstatic -l',
      '✓ manage.py check',
    ]);
    expect(await world.git(['describe', '--tags', '--exact-match'])).toBe('2016.1.14');
    expect(await world.git(['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('legacy');
    expect(await world.sql("SELECT count(*) FROM django_migrations WHERE app = 'catmaid' AND name = '0002_legacy_feature'")).toBe('1');
    expect(await world.sql("SELECT count(*) FROM pg_tables WHERE tablename = 'catmaid_legacy_feature'")).toBe('1');
    const journal = await readJournalIn(world.updatesDir);
    expect(journal?.status).toBe('done');
    expect(journal?.steps.filter((s) => s.stage === 2).map((s) => s.id)).toEqual(['git', 'pip', 'migrate-plan', 'migrate', 'collectstatic', 'check']);
  });
});
