import { execa } from 'execa';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRelease } from '../../src/sandbox/index.js';
import { binPath, privateHome, runCli } from '../helpers/cli.js';
import { startInTmux } from '../helpers/tmux.js';
import { createUpdateWorld, JOURNAL, LOCK, readJournalIn, release, type UpdateWorld, UPDATE_TEST_TIMEOUT } from './update-fixtures.js';

/**
 * An update killed (-9) while `manage.py migrate` runs, as a dropped SSH session or an OOM kill would: the next
 * update of anyone (another HOME) is refused while it runs and afterwards, `info` and Home name the unfinished
 * update and the migration not applied, and `update --resume` finishes it with the same, still pinned, backup.
 * Killed once more, `update --rollback` undoes it from where the kill left it.
 */
let world: UpdateWorld;
let otherHome: Record<string, string>;
const TARGET = '2022.04.01';

beforeAll(async () => {
  world = await createUpdateWorld();
  otherHome = privateHome(path.join(path.dirname(world.sandbox.dir), 'home-2'));
  await addRelease(world.sandbox.origin, release(TARGET, {
    notes: ['The migration rewrites treenode: it takes a while.'],
    migrations: [{ name: 'slow_rewrite', sql: ['SELECT pg_sleep(6)', 'CREATE TABLE catmaid_slow_rewrite (id integer)'] }],
  }));
});
afterAll(async () => {
  await world?.destroy();
});

const other = (args: string[]) => runCli(['-C', world.root, ...args], { env: otherHome, timeout: 180_000 });

async function pinsOf(env: Record<string, string>): Promise<{ path: string; kind: string }[]> {
  const base = path.join(env.XDG_STATE_HOME, 'catmaid-tui', 'instances');
  const pins: { path: string; kind: string }[] = [];
  for (const instance of await fs.readdir(base).catch(() => [] as string[])) {
    const dir = path.join(base, instance, 'pins');
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) pins.push(JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')));
  }
  return pins;
}

type Update = ReturnType<typeof execa<{ detached: true; reject: false; stdin: 'ignore' }>>;

/** `update --to TARGET --yes` in its own process group, handed back (boxed: it is a thenable) once its git step is done. */
async function startUpdate(): Promise<{ child: Update }> {
  const child = execa(process.execPath, [binPath, '-C', world.root, 'update', '--to', TARGET, '--yes'], {
    env: { ...world.env, NO_COLOR: '1' },
    detached: true,
    reject: false,
    stdin: 'ignore',
  });
  let journal = await readJournalIn(world.updatesDir);
  for (let i = 0; i < 1200 && !(journal?.status === 'running' && journal.steps.some((s) => s.id === 'git' && s.state === 'done')); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    journal = await readJournalIn(world.updatesDir);
  }
  expect(journal?.status).toBe('running');
  return { child };
}

/**
 * kill -9 of the update and its children while `manage.py migrate` runs TARGET's migration: once its pg_sleep is
 * in the database, so the migrations before it (2021.12.21's) are in and this one is not.
 */
async function killDuringMigrate({ child }: { child: Update }): Promise<void> {
  const sleeping = async () => Number(await world.sql("SELECT count(*) FROM pg_stat_activity WHERE query ~ 'pg_sleep\\(6\\)' AND pid <> pg_backend_pid()"));
  for (let i = 0; i < 1200 && (await sleeping()) === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await sleeping()).toBe(1);
  process.kill(-(child.pid as number), 'SIGKILL');
  await child;
}

describe('an update killed during migrate', { timeout: UPDATE_TEST_TIMEOUT }, () => {
  it('is refused to a second update from another HOME while it runs, then killed in migrate', async () => {
    const update = await startUpdate();
    const { child } = update;

    const second = await other(['update', '--yes', '--skip-backup']);
    expect(second.exitCode).toBe(3);
    expect(second.stdout).toMatch(new RegExp(`✗ an update to ${TARGET} is running \\(started `));
    const rollback = await other(['update', '--rollback', '--yes']);
    expect(rollback.exitCode).toBe(3);
    expect(rollback.stderr).toContain(`an update of ${world.root} is already in progress (pid ${child.pid}`);

    await killDuringMigrate(update);
    const journal = await readJournalIn(world.updatesDir);
    expect(journal?.steps.map((s) => s.id)).toEqual(['backup', 'git', 'pip', 'migrate-plan']);
    expect(JSON.parse(await fs.readFile(path.join(world.updatesDir, LOCK), 'utf8')).pid).toBe(child.pid);
    expect(await pinsOf(world.env)).toEqual([expect.objectContaining({ path: journal?.backup, kind: 'update' })]);
  });

  it('blocks every further update, from any HOME, with exit 3 instead of "nothing to do"', async () => {
    for (const run of [await world.cli(['update', '--to', TARGET, '--yes']), await other(['update', '--to', TARGET, '--yes']), await world.cli(['update', '--dry-run'])]) {
      expect(run.exitCode).toBe(3);
      expect(run.stdout).toMatch(new RegExp(`✗ the update to ${TARGET} of \\S+ is unfinished: stopped before or during manage\\.py migrate`));
      expect(run.stderr).toContain('hint: catmaid-tui update --resume, or catmaid-tui update --rollback');
      expect(run.stdout).not.toContain('nothing to do');
    }
  });

  it('info names the unfinished update and the migration not applied', async () => {
    const text = await world.cli(['info']);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`attention +✗ the update to ${TARGET} of \\S+ is unfinished: stopped before or during manage\\.py migrate: resume or roll back`));
    expect(text.stdout).toMatch(/attention +✗ 1 migration\(s\) not applied: catmaid\.\d{4}_slow_rewrite/);
    const json = JSON.parse((await world.cli(['info', '--json'])).stdout) as { notices: { id: string }[] };
    expect(json.notices.map((n) => n.id).sort()).toEqual(['migrations.unapplied', 'update.unfinished']);
  });

  it('Home shows both, first, in a terminal', async () => {
    const tui = await startInTmux(['-C', world.root], { env: world.env, width: 160, height: 40 });
    try {
      const home = await tui.waitFor(/not applied: catmaid\.\d{4}_slow_rewrite/, 60_000);
      expect(home).toMatch(new RegExp(`Attention +✗ the update to ${TARGET} of \\S+ is unfinished`));
      expect(home).toMatch(/Attention +✗ 1 migration\(s\) not applied: catmaid\.\d{4}_slow_rewrite/);
      await tui.keys('q');
      expect((await tui.waitForExit()).status).toBe(0);
    } finally {
      await tui.kill();
    }
  }, 120_000);

  it('update --resume runs the remaining steps with the same backup; then nothing is pending', async () => {
    const backup = (await readJournalIn(world.updatesDir))?.backup;
    const run = await world.cli(['update', '--resume', '--yes']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).not.toContain('git checkout');
    expect(run.stdout).toMatch(/✓ manage\.py migrate +\d/);
    expect(run.stdout).toMatch(/✓ manage\.py check +\d/);
    // 2021.12.21's migration went in before the kill; the resume applies TARGET's.
    expect(run.stdout).toContain(`Updated 2020.02.15 → ${TARGET}; 1 migration(s) applied.`);
    const journal = await readJournalIn(world.updatesDir);
    expect(journal).toMatchObject({ status: 'done', backup });
    expect(await world.sql("SELECT count(*) FROM django_migrations WHERE name LIKE '____\\_slow\\_rewrite'")).toBe('1');
    const info = JSON.parse((await world.cli(['info', '--json'])).stdout) as { notices: unknown[] };
    expect(info.notices).toEqual([]);
    // The journal can still roll back to it: it stays pinned.
    expect(await pinsOf(world.env)).toEqual([expect.objectContaining({ path: backup, kind: 'update' })]);
  });
});

describe('update --rollback checks everything before it changes anything', { timeout: UPDATE_TEST_TIMEOUT }, () => {
  it('refuses (exit 3) with a pre-update backup that no longer verifies; code and database untouched', async () => {
    const backup = (await readJournalIn(world.updatesDir))?.backup as string;
    const original = await fs.readFile(backup);
    const before = await world.fingerprint();
    await fs.appendFile(backup, '-- tampered\n');
    try {
      const run = await world.cli(['update', '--rollback', '--yes']);
      expect(run.exitCode).toBe(3);
      expect(run.stdout).toMatch(/✓ commit [0-9a-f]{7} is in the repository/);
      expect(run.stdout).toMatch(/✓ requirements of [0-9a-f]{7} can be installed/);
      expect(run.stderr).toMatch(/rollback refused, nothing was changed: the pre-update backup .* does not verify \(its sha256 differs from the manifest/);
      expect(await world.fingerprint()).toEqual(before);
    } finally {
      await fs.writeFile(backup, original);
    }
  });

  it('refuses when the old commit is not in the repository', async () => {
    const file = path.join(world.updatesDir, JOURNAL);
    const text = await fs.readFile(file, 'utf8');
    const before = await world.fingerprint();
    await fs.writeFile(file, text.replace(/("previous": \{\s*"commit": ")[0-9a-f]+/, '$1' + 'ab'.repeat(20)));
    try {
      const run = await world.cli(['update', '--rollback', '--yes']);
      expect(run.exitCode).toBe(3);
      expect(run.stderr).toContain('commit ababab… is not in the repository'.replace('…', 'a'));
      expect(await world.fingerprint()).toEqual(before);
    } finally {
      await fs.writeFile(file, text);
    }
  });

  it('rolls back when all is well, and unpins the backup it restored', async () => {
    const run = await world.cli(['update', '--rollback', '--yes']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/✓ pre-update backup verified/);
    expect(await pinsOf(world.env)).toEqual([]);
  });
});

describe('an update killed during migrate, then rolled back', { timeout: UPDATE_TEST_TIMEOUT }, () => {
  it('update --rollback from the killed state puts code and database back as they were before it', async () => {
    const before = await world.fingerprint();
    await killDuringMigrate(await startUpdate());
    expect((await readJournalIn(world.updatesDir))?.status).toBe('running');
    expect(await world.fingerprint()).not.toEqual(before);

    const run = await world.cli(['update', '--rollback', '--yes']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/database restored from /);
    expect(await world.fingerprint()).toEqual(before);
    expect((await readJournalIn(world.updatesDir))?.status).toBe('rolled-back');
    const info = JSON.parse((await world.cli(['info', '--json'])).stdout) as { notices: unknown[] };
    expect(info.notices).toEqual([]);
  });
});

describe('options smuggled into git', () => {
  it('refuses a remote or ref that git would read as an option, even with --dry-run, before running git', async () => {
    const marker = path.join(path.dirname(world.sandbox.dir), 'pwned');
    for (const args of [
      ['update', '--dry-run', '--remote', `--upload-pack=touch ${marker}`],
      ['update', '--dry-run', `--to=--upload-pack=touch ${marker}`],
      ['releases', '--remote', `--upload-pack=touch ${marker}`],
    ]) {
      const run = await world.cli(args);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/"--upload-pack=touch .*": not a git name/);
    }
    const unknown = await world.cli(['update', '--dry-run', '--remote', 'elsewhere']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('--remote elsewhere: no such remote');
    await expect(fs.stat(marker)).rejects.toThrow();
  });
});
