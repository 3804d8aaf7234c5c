import { execa } from 'execa';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sandboxSql, type ReleaseSpec } from '../../src/sandbox/index.js';
import { privateHome, runCli } from '../helpers/cli.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/**
 * A running sandbox for the update tests, with its own XDG folders (journal, lock, logs, backups), the CLI
 * pointed at its root, and a fingerprint of everything an update may change: commit, branch, work tree, the
 * rows of treenode and django_migrations, and the tables of the catmaid schema.
 */
/**
 * A test that runs a real update and a rollback (backup, pip, migrate, restore) takes 20–30 s on an idle machine
 * and more than a minute on two cores shared with other suites: it gets three.
 */
export const UPDATE_TEST_TIMEOUT = 180_000;

export interface UpdateWorld {
  sandbox: TestSandbox;
  root: string;
  env: Record<string, string>;
  cli(args: string[], options?: { timeout?: number }): ReturnType<typeof runCli>;
  git(args: string[]): Promise<string>;
  sql(query: string): Promise<string>;
  fingerprint(): Promise<Fingerprint>;
  /** Where the journal and lock of this instance's updates are: its git folder. */
  updatesDir: string;
  backupsDir: string;
  destroy(): Promise<void>;
}

export interface Fingerprint {
  head: string;
  branch: string;
  status: string;
  treenodes: string;
  migrations: string;
  tables: string;
}

const CHECKSUMS = `SELECT
  (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM treenode t),
  (SELECT md5(coalesce(string_agg(m::text, ',' ORDER BY m.id), '')) FROM django_migrations m),
  (SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public')`;

export async function createUpdateWorld(options: { services?: boolean } = {}): Promise<UpdateWorld> {
  const sandbox = await createTestSandbox(options);
  const home = path.join(path.dirname(sandbox.dir), 'home');
  const env = privateHome(home);
  const git = async (args: string[]) => (await execa('git', ['-C', sandbox.root, ...args])).stdout.trim();
  const sql = (query: string) => sandboxSql(sandbox.dir, query);
  return {
    sandbox,
    root: sandbox.root,
    env,
    cli: (args, options = {}) => runCli(['-C', sandbox.root, ...args], { env, timeout: options.timeout ?? 180_000 }),
    git,
    sql,
    async fingerprint() {
      const [treenodes, migrations, tables] = (await sql(CHECKSUMS)).trim().split('|');
      return {
        head: await git(['rev-parse', 'HEAD']),
        branch: await git(['rev-parse', '--abbrev-ref', 'HEAD']),
        status: await git(['status', '--porcelain']),
        treenodes,
        migrations,
        tables,
      };
    },
    updatesDir: path.join(sandbox.root, '.git'),
    backupsDir: path.join(env.XDG_DATA_HOME, 'catmaid-tui', 'backups'),
    destroy: async () => {
      await sandbox.destroy();
      await fs.rm(home, { recursive: true, force: true });
    },
  };
}

/** The files in a folder, [] when it does not exist. */
export async function listDir(dir: string): Promise<string[]> {
  return (await fs.readdir(dir).catch(() => [] as string[])).sort();
}

export interface Journal {
  status: string;
  previous: { commit: string; branch: string | null };
  backup: string | null;
  steps: { id: string; stage: number; state: string }[];
}

export const JOURNAL = 'catmaid-tui-update.json';
export const LOCK = 'catmaid-tui-update.lock';

/** catmaid-tui's update files in a git folder (journal, lock). */
export async function updateFiles(dir: string): Promise<string[]> {
  return (await listDir(dir)).filter((n) => n.startsWith('catmaid-tui-update'));
}

export async function readJournalIn(dir: string): Promise<Journal | null> {
  const text = await fs.readFile(path.join(dir, JOURNAL), 'utf8').catch(() => null);
  return text === null ? null : (JSON.parse(text) as Journal);
}

/** A release in CATMAID's style with everything but what the test cares about filled in. */
export function release(version: string, spec: Partial<ReleaseSpec> = {}): ReleaseSpec {
  return {
    version,
    contributors: ['Ada Tracer'],
    notes: [],
    features: [`Something new in ${version}.`],
    fixes: [],
    ...spec,
  };
}
