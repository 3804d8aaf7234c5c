import { execa } from 'execa';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_RELEASE } from '../../src/sandbox/history.js';
import { addRelease, OriginWriter } from '../../src/sandbox/index.js';
import { createUpdateWorld, listDir, release, updateFiles, type Fingerprint, type UpdateWorld } from './update-fixtures.js';

/**
 * What the update decides before it changes anything: the plan and release notes of --dry-run, and the refusals
 * of the pre-flight (dirty tree, running server), each leaving the instance exactly as it was. Last, the
 * 2015.12.21 rule on a history (orphan branch `legacy` of the same origin) that passes through that release.
 */
let world: UpdateWorld;
let before: Fingerprint;

interface DryRun {
  dryRun: boolean;
  twoStage: boolean;
  refused: boolean;
  releases: { version: string; notes: string[]; source: string }[];
  steps: { id: string; stage: number; title: string; command: string[] | null }[];
  checks: { id: string; status: string; title: string }[];
}

beforeAll(async () => {
  world = await createUpdateWorld();
  await addRelease(world.sandbox.origin, release('2022.03.01', { notes: ['Requires Python 3.9.', 'Rebuild the edge table.'] }));
  await addRelease(world.sandbox.origin, release('2022.06.15', { notes: ['Set CONN_MAX_AGE to 60 in settings.py.'] }));
  before = await world.fingerprint();
});
afterAll(async () => {
  await world?.destroy();
});

async function nothingChanged(): Promise<void> {
  expect(await world.fingerprint()).toEqual(before);
  expect(await updateFiles(world.updatesDir)).toEqual([]);
  expect(await listDir(world.backupsDir)).toEqual([]);
}

describe('update --dry-run and the pre-flight refusals', () => {
  it('--dry-run --json lists every skipped release oldest first with its notes, and every command; nothing changes', async () => {
    const run = await world.cli(['update', '--to', '2022.06.15', '--dry-run', '--json']);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('dry run: nothing was changed');
    const plan = JSON.parse(run.stdout) as DryRun;
    expect(plan).toMatchObject({ dryRun: true, twoStage: false, refused: false });
    // 2021.12.21's notes hold a fenced block and a command on its own line; how they are split is the reader's.
    // UPDATE.md's notes first, then CHANGELOG.md's that say something else (nothing dropped).
    expect(plan.releases.map((r) => [r.version, r.source])).toEqual([
      ['2021.12.21', 'UPDATE.md + CHANGELOG.md'], ['2022.03.01', 'UPDATE.md'], ['2022.06.15', 'UPDATE.md'],
    ]);
    expect(plan.releases[0].notes[1]).toBe([
      'PostgreSQL 12 and PostGIS 3 are now required. If both need an update, update',
      'PostGIS first and run `ALTER EXTENSION postgis UPDATE;` in every database of',
      'the cluster, as the Postgres superuser, e.g.:',
      '',
      '```',
      "sudo -u postgres psql -d catmaid -c 'ALTER EXTENSION postgis UPDATE;'",
      "sudo -u postgres psql -d template1 -c 'ALTER EXTENSION postgis UPDATE;'",
      '```',
    ].join('\n'));
    expect(plan.releases[0].notes.at(-1)).toBe('PostgreSQL 12 and PostGIS 3 are now required, see UPDATE.md.');
    expect(plan.releases[0].notes[0]).toBe('Python 3.8 is now required. A virtualenv update is required.');
    expect(plan.releases[0].notes.join('\n')).toContain("sudo -u postgres psql -d catmaid -c 'ALTER EXTENSION postgis UPDATE;'");
    expect(plan.releases[0].notes.at(-2)).toBe('Rebuild the edge tables after updating:\n\nmanage.py catmaid_rebuild_edge_table');
    expect(plan.releases.slice(1)).toEqual([
      { version: '2022.03.01', source: 'UPDATE.md', notes: ['Requires Python 3.9.', 'Rebuild the edge table.'] },
      { version: '2022.06.15', source: 'UPDATE.md', notes: ['Set CONN_MAX_AGE to 60 in settings.py.'] },
    ]);
    const python = path.join(world.root, 'django', 'env', 'bin', 'python');
    const manage = path.join(world.root, 'django', 'projects', 'manage.py');
    expect(plan.steps.map((s) => s.command ?? s.id)).toEqual([
      'backup',
      ['git', 'checkout', '2022.06.15'],
      [python, '-m', 'pip', 'install', '--disable-pip-version-check', '-r', path.join(world.root, 'django', 'requirements.txt')],
      [python, manage, 'migrate', '--plan'],
      [python, manage, 'migrate', '--noinput'],
      [python, manage, 'collectstatic', '-l', '--noinput'],
      [python, manage, 'check'],
    ]);
    await nothingChanged();

    const text = await world.cli(['update', '--dry-run']);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/Release notes to read \(oldest first\)\n {2}2021\.12\.21\n[^]*\n {2}2022\.03\.01\n {4}• Requires Python 3\.9\.\n {4}• Rebuild the edge table\.\n {2}2022\.06\.15\n/);
    expect(text.stdout).toContain('      $ git pull --ff-only -- origin master');
    await nothingChanged();
  });

  it("to the tag 2021.12.21, whose UPDATE.md still heads the release 'Under development': both files' notes, merged", async () => {
    const run = await world.cli(['update', '--to', '2021.12.21', '--dry-run', '--json']);
    expect(run.exitCode).toBe(0);
    const plan = JSON.parse(run.stdout) as DryRun;
    expect(plan.releases.map((r) => [r.version, r.source, r.notes.length])).toEqual([['2021.12.21', 'UPDATE.md + CHANGELOG.md', 5]]);
    expect(plan.releases[0].notes[3]).toBe('Rebuild the edge tables after updating:\n\nmanage.py catmaid_rebuild_edge_table');
  });

  it('names versions by release tags only: the stable tag on the commit after 2021.12.21 never shows', async () => {
    // As in the sandbox's own history: stable on the first commit after the release (later releases here moved it).
    const moved = await world.git(['rev-parse', 'stable^{commit}']);
    const [afterRelease] = (await world.git(['rev-list', '--reverse', '2021.12.21..origin/master'])).split('\n');
    await world.git(['tag', '-f', 'stable', afterRelease]);
    await world.git(['checkout', '--quiet', '--detach', afterRelease]);
    try {
      expect(await world.git(['describe', '--tags'])).toBe('stable');
      const info = JSON.parse((await world.cli(['info', '--json'])).stdout) as { git: { describe: string } };
      expect(info.git.describe).toMatch(/^2021\.12\.21-1-g[0-9a-f]{7}$/);
      const run = await world.cli(['update', '--dry-run']);
      expect(run.stdout).toMatch(/^Update · 2021\.12\.21-1-g[0-9a-f]{7} → master \(2022\.06\.15\)/);
      expect(run.stdout).not.toContain('stable');
    } finally {
      await world.git(['checkout', '--quiet', 'master']);
      await world.git(['tag', '-f', 'stable', moved]);
    }
  });

  it('refuses a dirty work tree (exit 3), names the change, and changes nothing', async () => {
    const file = path.join(world.root, 'django', 'requirements.txt');
    const original = await fs.readFile(file, 'utf8');
    await fs.appendFile(file, '# local edit\n');
    try {
      const run = await world.cli(['update', '--yes']);
      expect(run.exitCode).toBe(3);
      expect(run.stdout).toContain('✗ working tree has 1 uncommitted change(s)');
      expect(run.stdout).toMatch(/ M django\/requirements\.txt/);
      expect(run.stderr).toMatch(/^catmaid-tui: refused: working tree has 1 uncommitted change\(s\)/);
      expect(await fs.readFile(file, 'utf8')).toBe(`${original}# local edit\n`);
    } finally {
      await fs.writeFile(file, original);
    }
    await nothingChanged();
  });

  it('refuses while a runserver of this root runs (exit 3, override named), and changes nothing', async () => {
    const fake = path.join(path.dirname(world.sandbox.dir), 'fake');
    await fs.mkdir(fake, { recursive: true });
    await fs.writeFile(path.join(fake, 'manage.py'), 'import time\ntime.sleep(120)\n');
    const server = execa('python3', [path.join(fake, 'manage.py'), 'runserver', '127.0.0.1:8000'], {
      cwd: path.join(world.root, 'django', 'projects'),
      reject: false,
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const run = await world.cli(['update', '--yes']);
      expect(run.exitCode).toBe(3);
      expect(run.stdout).toContain(`✗ running outside the services catmaid-tui can stop: runserver (pid ${server.pid}) (override: --allow-running)`);
      expect(run.stdout).toContain(`      e.g. kill ${server.pid}`);
      expect(run.stderr).toMatch(/refused: running outside the services catmaid-tui can stop: runserver \(pid \d+\)\n {2}hint: --allow-running/);
      await nothingChanged();
      const allowed = await world.cli(['update', '--dry-run', '--allow-running']);
      expect(allowed.exitCode).toBe(0);
      expect(allowed.stdout).toContain(`! running outside the services catmaid-tui can stop: runserver (pid ${server.pid})`);
    } finally {
      server.kill();
      await server;
    }
  });

  it("refuses (exit 3) the dev release whose notes require the next PostgreSQL major, naming it; its commands line for line", async () => {
    const installed = (await world.sql("SELECT current_setting('server_version_num')::int / 10000")).trim();
    const needed = Number(installed) + 1;
    const run = await world.cli(['update', '--to', DEV_RELEASE, '--yes']);
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toMatch(new RegExp(`✗ PostgreSQL ${installed}\\.\\d+ < ${needed} required by ${DEV_RELEASE.replace(/\./g, '\\.')} \\(override: --ignore-requirement postgresql\\)`));
    expect(run.stdout).toContain([
      `    • PostgreSQL ${needed} is now required. Upgrade the cluster first, then update`,
      '      PostGIS in every database:',
      '',
      `      sudo pg_upgradecluster ${installed} main`,
      "      sudo -u postgres psql -d catmaid -c 'ALTER EXTENSION postgis UPDATE;'",
      '',
    ].join('\n'));
    expect(run.stderr).toMatch(new RegExp(`refused: PostgreSQL ${installed}\\.\\d+ < ${needed} required by ${DEV_RELEASE.replace(/\./g, '\\.')}\n {2}hint: --ignore-requirement postgresql`));
    await nothingChanged();
    const ignored = await world.cli(['update', '--to', DEV_RELEASE, '--dry-run', '--ignore-requirement', 'postgresql']);
    expect(ignored.exitCode).toBe(0);
    expect(ignored.stdout).toContain('(ignored: --ignore-requirement postgresql)');
    const bad = await world.cli(['update', '--dry-run', '--ignore-requirement', 'postgres']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--ignore-requirement postgres: no such requirement');
    await nothingChanged();
  });

  it('plans two stages through 2015.12.21 for an instance older than it, with migrate --fake catmaid 0001_initial', async () => {
    const writer = await OriginWriter.open(world.sandbox.origin, 'legacy');
    try {
      await writer.release(release('2015.9.11', { date: '2015-09-11T12:00:00+00:00', stable: false, notes: ['Requires PostgreSQL 9.4.'] }));
      await writer.release(release('2015.12.21', { date: '2015-12-21T12:00:00+00:00', stable: false, notes: ['Migrations were squashed: update to this release first.'] }));
      await writer.release(release('2016.1.14', { date: '2016-01-14T12:00:00+00:00', stable: false, notes: ['Requires Django 1.8.'] }));
      await writer.publish();
    } finally {
      await writer.close();
    }
    await world.git(['fetch', '--quiet', '--tags', 'origin']);
    await world.git(['checkout', '--quiet', '-B', 'legacy', '2015.9.11']);
    await world.git(['branch', '--quiet', '--set-upstream-to=origin/legacy']);

    const run = await world.cli(['update', '--dry-run', '--json']);
    expect(run.exitCode).toBe(0);
    const plan = JSON.parse(run.stdout) as DryRun;
    expect(plan.twoStage).toBe(true);
    expect(plan.releases.map((r) => r.version)).toEqual(['2015.12.21', '2016.1.14']);
    expect(plan.checks.find((c) => c.id === 'two-stage')?.title).toBe(
      'two stages: first 2015.12.21 (migrate, then migrate --fake catmaid 0001_initial), then legacy',
    );
    expect(plan.steps.map((s) => (s.command ? `${s.stage} ${s.id} ${s.command.slice(s.command[0] === 'git' ? 1 : 2).join(' ')}` : `${s.stage} ${s.id}`))).toEqual([
      '1 backup',
      '1 git merge --ff-only -- 2015.12.21',
      '1 pip pip install --disable-pip-version-check -r ' + path.join(world.root, 'django', 'requirements.txt'),
      '1 migrate-plan migrate --plan',
      '1 migrate migrate --noinput',
      '1 fake-initial migrate --fake catmaid 0001_initial',
      '2 git pull --ff-only -- origin legacy',
      '2 pip pip install --disable-pip-version-check -r ' + path.join(world.root, 'django', 'requirements.txt'),
      '2 migrate-plan migrate --plan',
      '2 migrate migrate --noinput',
      '2 collectstatic collectstatic -l --noinput',
      '2 check check',
    ]);
    const text = await world.cli(['update', '--dry-run', '--to', '2016.1.14']);
    expect(text.stderr).toBe('');
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/ {2}stage 1 \(to 2015\.12\.21\)\n {2}· backup\n[^]* {2}· git checkout 2015\.12\.21\n[^]* {2}· manage\.py migrate --fake catmaid 0001_initial\n[^]* {2}stage 2 \(to 2016\.1\.14\)\n {2}· git checkout 2016\.1\.14\n/);
  });
});
