import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addRelease,
  copySandbox,
  createSandbox,
  destroySandbox,
  managePy,
  sandboxSql,
  sandboxStatus,
  startSandbox,
  stopSandbox,
  type SandboxInfo,
} from '../../src/sandbox/index.js';
import { assertReachable } from '../../src/sandbox/owner.js';
import { createTestSandbox, templateSandbox, type TestSandbox } from '../helpers/sandbox.js';

const git = async (cwd: string, ...args: string[]): Promise<string> => (await execa('git', args, { cwd })).stdout.trim();
const count = async (dir: string, table: string): Promise<number> => Number(await sandboxSql(dir, `SELECT count(*) FROM ${table}`));
const settingsOf = (root: string): string => fs.readFileSync(path.join(root, 'django/projects/mysite/settings.py'), 'utf8');
const passwordOf = (root: string): string => /'PASSWORD': '([^']*)'/.exec(settingsOf(root))?.[1] ?? '';

/** Postgres processes whose command line names this data directory. */
async function postgresProcessesOf(pgDir: string): Promise<string[]> {
  const { stdout } = await execa('ps', ['-eo', 'pid,args'], { reject: false });
  return stdout.split('\n').filter((line) => line.includes(pgDir));
}

describe('a new small sandbox', () => {
  let parent: string;
  let sb: SandboxInfo;
  let seconds: number;

  beforeAll(async () => {
    parent = fs.mkdtempSync('/tmp/catmaid-tui-create-');
    fs.chmodSync(parent, 0o755);
    const started = Date.now();
    sb = await createSandbox(path.join(parent, 'sb'), { size: 'small' });
    seconds = (Date.now() - started) / 1000;
    process.stdout.write(`sandbox create (small): ${seconds.toFixed(1)} s\n`);
  });

  afterAll(async () => {
    if (fs.existsSync(path.join(parent, 'sb', 'sandbox.json'))) await destroySandbox(path.join(parent, 'sb'));
    fs.rmSync(parent, { recursive: true, force: true });
  });

  it('runs its own server on the port that settings.py names, with password authentication', async () => {
    const status = await sandboxStatus(sb.dir);
    expect(status).toMatchObject({ running: true, root: path.join(sb.dir, 'catmaid'), host: '127.0.0.1' });
    expect(status.pid).toBe(Number(fs.readFileSync(path.join(sb.pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]));
    expect(settingsOf(sb.root)).toContain(`'PORT': '${status.port}'`);
    expect(settingsOf(sb.root)).toMatch(/^from mysite\.settings_base import \*$/m);
    const connect = async (password: string) => {
      const client = new pg.Client({ host: sb.host, port: sb.port, user: sb.user, database: sb.database, password });
      await client.connect();
      const { rows } = await client.query<{ user: string }>('SELECT current_user AS user');
      await client.end();
      return rows[0].user;
    };
    await expect(connect(passwordOf(sb.root))).resolves.toBe('catmaid');
    await expect(connect('wrong')).rejects.toThrow(/password authentication failed/);
    expect(JSON.stringify(status)).not.toContain(passwordOf(sb.root));
  });

  it('has every migration applied', async () => {
    const migrate = await managePy(sb.root, ['migrate', '--noinput']);
    expect(migrate.exitCode).toBe(0);
    expect(migrate.stdout).toContain('No migrations to apply.');
  });

  it('holds about 10k treenodes and derived tables filled by the triggers', async () => {
    expect(await count(sb.dir, 'treenode')).toBe(10_000);
    expect(await count(sb.dir, 'treenode_edge')).toBe(10_000);
    expect(await count(sb.dir, 'connector')).toBeGreaterThan(0);
    expect(await count(sb.dir, 'connector_geom')).toBe(await count(sb.dir, 'connector'));
    expect(await count(sb.dir, 'treenode_connector')).toBe(2 * (await count(sb.dir, 'connector')));
    expect(await count(sb.dir, 'treenode_connector_edge')).toBe(await count(sb.dir, 'treenode_connector'));
    expect(await count(sb.dir, 'treenode WHERE parent_id IS NULL')).toBe(20);
    expect(await sandboxSql(sb.dir, "SELECT rolsuper FROM pg_roles WHERE rolname = 'catmaid'")).toBe('f');
  });

  it('refuses to start with STATIC_EXTENSION_FILES as a tuple, like CATMAID', async () => {
    const file = path.join(sb.root, 'django/projects/mysite/settings.py');
    const original = fs.readFileSync(file, 'utf8');
    expect((await managePy(sb.root, ['check'])).exitCode).toBe(0);
    fs.writeFileSync(file, `${original}\nSTATIC_EXTENSION_FILES = ('custom.js', )\n`);
    try {
      const check = await managePy(sb.root, ['check']);
      expect(check.exitCode).not.toBe(0);
      expect(check.stderr).toContain('STATIC_EXTENSION_FILES must be a list');
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('is a clean checkout of an older release, with newer ones on the origin', async () => {
    expect((await git(sb.origin, 'tag', '--list', '20*')).split('\n')).toEqual(['2019.06.20', '2020.02.15', '2021.12.21', '2022.12.12']);
    expect(await git(sb.origin, 'branch', '--format=%(refname:short)')).toBe('dev\nmaster');
    expect((await git(sb.origin, 'show', 'master:CHANGELOG.md')).startsWith('## Under development\n')).toBe(true);
    expect(await git(sb.root, 'describe', '--tags', '--exact-match')).toBe('2020.02.15');
    expect(await git(sb.root, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('master');
    expect(await git(sb.root, 'status', '--porcelain')).toBe('');
    expect(Number(await git(sb.root, 'rev-list', '--count', 'HEAD..origin/master'))).toBeGreaterThan(1);
  });

  it('stops, starts again, and is destroyed without leaving a server behind', async () => {
    const stopped = await stopSandbox(sb.dir);
    expect(stopped).toMatchObject({ running: false, pid: null });
    expect(await postgresProcessesOf(sb.pgDir)).toEqual([]);
    expect((await startSandbox(sb.dir)).running).toBe(true);
    await destroySandbox(sb.dir);
    expect(fs.existsSync(sb.dir)).toBe(false);
    expect(await postgresProcessesOf(sb.pgDir)).toEqual([]);
  });
});

describe('sandbox safety checks', () => {
  it('refuses to destroy a folder that is not a sandbox', async () => {
    const dir = fs.mkdtempSync('/tmp/catmaid-tui-not-a-sandbox-');
    fs.writeFileSync(path.join(dir, 'precious.txt'), 'keep me');
    try {
      await expect(destroySandbox(dir)).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('not a catmaid-tui sandbox') });
      expect(fs.readFileSync(path.join(dir, 'precious.txt'), 'utf8')).toBe('keep me');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the folder the postgres user cannot get through', () => {
    const closed = fs.mkdtempSync('/tmp/catmaid-tui-closed-');
    fs.chmodSync(closed, 0o700);
    const postgres = { name: 'postgres', uid: 2_000_000_001, gid: 2_000_000_001, groups: [], switchUser: true };
    try {
      expect(() => assertReachable(postgres, path.join(closed, 'sandbox'))).toThrow(
        expect.objectContaining({ exitCode: 2, message: expect.stringContaining(`${closed} is not traversable`) }),
      );
      fs.chmodSync(closed, 0o755);
      expect(() => assertReachable(postgres, path.join(closed, 'sandbox'))).not.toThrow();
    } finally {
      fs.rmSync(closed, { recursive: true, force: true });
    }
  });
});

describe('the test fixture and new releases', () => {
  let a: TestSandbox;
  let b: TestSandbox;

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestSandbox(), createTestSandbox()]);
  });

  afterAll(async () => {
    await Promise.all([a?.destroy(), b?.destroy()]);
  });

  it('gives each caller its own running copy', async () => {
    expect(a.port).not.toBe(b.port);
    expect(a.running && b.running).toBe(true);
    expect(settingsOf(a.root)).toContain(`'PORT': '${a.port}'`);
    expect(settingsOf(a.root)).toContain(`STATIC_EXTENSION_ROOT = '${a.root}/django/staticext'`);
    await sandboxSql(a.dir, 'DELETE FROM treenode_connector');
    expect(await count(a.dir, 'treenode_connector')).toBe(0);
    expect(await count(b.dir, 'treenode_connector')).toBeGreaterThan(0);
    expect(await git(a.root, 'remote', 'get-url', 'origin')).toBe(a.origin);
    expect((await managePy(a.root, ['migrate', '--noinput'])).stdout).toContain('No migrations to apply.');
  });

  it('adds a release to the origin that an update can then apply', async () => {
    await addRelease(a.origin, {
      version: '2022.05.01',
      contributors: ['Eve Synapse'],
      notes: ['Run `manage.py migrate`.'],
      features: ['A new table.'],
      fixes: [],
      migrations: [{ name: 'add_review', sql: ['CREATE TABLE review (id serial PRIMARY KEY)'], reverseSql: ['DROP TABLE review'] }],
      staticFiles: [{ name: 'review.js', content: 'window.review = 1;\n' }],
    });
    // Without --tags: the moved `stable` tag would make git refuse ("would clobber existing tag"), as with CATMAID.
    await git(a.root, 'fetch', '--quiet', 'origin');
    expect(await git(a.root, 'show', '2022.05.01:CHANGELOG.md')).toMatch(/^## 2022\.05\.01\n\nContributors: Eve Synapse\n\n### Notes\n/);
    expect(await git(a.root, 'show', '2022.05.01:UPDATE.md')).toContain('## 2022.05.01\n\n- Run `manage.py migrate`.');
    await git(a.root, 'merge', '--quiet', '--ff-only', '2022.05.01');
    const migrate = await managePy(a.root, ['migrate', '--noinput']);
    expect(migrate.exitCode).toBe(0);
    expect(migrate.stdout).toContain('Applying catmaid.0006_add_review... OK');
    expect(fs.existsSync(path.join(a.root, 'django/applications/catmaid/static/catmaid/review.js'))).toBe(true);
  });
});

describe('a sandbox in a deep folder', () => {
  it('puts its socket in a short folder outside (107-byte limit) and removes it on destroy', async () => {
    const parent = fs.mkdtempSync('/tmp/catmaid-tui-deep-');
    fs.chmodSync(parent, 0o755);
    const dir = path.join(parent, 'a-rather-long-folder-name-for-a-sandbox', 'and-one-more-level-of-it', 'sandbox');
    try {
      const sb = await copySandbox(await templateSandbox(), dir);
      expect(sb.socketDir.startsWith(sb.dir)).toBe(false);
      expect(path.join(sb.socketDir, `.s.PGSQL.${sb.port}`).length).toBeLessThanOrEqual(107);
      expect(fs.existsSync(path.join(sb.socketDir, `.s.PGSQL.${sb.port}`))).toBe(true);
      expect(await count(sb.dir, 'project')).toBe(2);
      await destroySandbox(sb.dir);
      expect(fs.existsSync(sb.socketDir)).toBe(false);
      expect(fs.existsSync(sb.dir)).toBe(false);
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});
