import { rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { withClient } from '../../src/tasks/db/connect.js';
import { discoverInstance } from '../../src/tasks/instance/index.js';
import type { DatabaseSettings, InstanceInfo } from '../../src/tasks/instance/types.js';
import type { GitVersion } from '../../src/tasks/backup/backup.js';
import { privateHome, runCli } from '../helpers/cli.js';
import { execa } from 'execa';
import { sandboxSql } from '../../src/sandbox/index.js';
import { superuserCommand, superuserSql } from '../../src/tasks/backup/superuser.js';
import { pgBin } from '../../src/tasks/pg-bin.js';
import { createTestSandbox, type TestSandbox, type TestSandboxOptions } from '../helpers/sandbox.js';

/** A sandbox with what the backup tasks take: its settings as Django reads them, its layout and git version. */
export interface BackupWorld {
  sandbox: TestSandbox;
  info: InstanceInfo;
  db: DatabaseSettings;
  git: GitVersion;
  /** A fresh backup folder in a temp dir. */
  folder(): Promise<string>;
  /** The private XDG folders of the test process (logs, pins, default backups): the CLI gets the same. */
  env: Record<string, string>;
  /** The built CLI on this sandbox's instance, with `env`. */
  cli(args: string[]): ReturnType<typeof runCli>;
  /** SQL as the cluster's superuser, in the instance's database. */
  sql(sql: string): Promise<string>;
  /** A script as the cluster's superuser, connected to the `postgres` database (to drop the instance's). */
  superuserScript(sql: string): Promise<string>;
  /** pg_dump as the cluster's superuser (peer, over the socket); `-f FILE` is written through stdout. */
  superuserDump(args: string[]): Promise<void>;
  destroy(): Promise<void>;
}

let home: Promise<string> | undefined;
let worlds = 0;

/**
 * XDG folders of this test file's process, set in its environment so that what tasks keep in catmaid-tui's state
 * folder (pins, copies) stays out of the real user's; one per process, shared by its sandboxes, and removed with
 * the last of them (a worker ended by vitest never sees its 'exit' event: a hook there left hundreds behind).
 */
async function privateXdg(): Promise<Record<string, string>> {
  if (!home) {
    home = fs.mkdtemp(path.join(os.tmpdir(), 'catmaid-tui-home-'));
    const made = await home;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  worlds += 1;
  const env = privateHome(await home);
  Object.assign(process.env, env);
  return env;
}

async function releaseXdg(): Promise<void> {
  worlds -= 1;
  if (worlds > 0 || !home) return;
  const made = await home;
  home = undefined;
  await fs.rm(made, { recursive: true, force: true });
}

export async function createBackupWorld(options: TestSandboxOptions = {}): Promise<BackupWorld> {
  const env = await privateXdg();
  const sandbox = await createTestSandbox(options);
  const info = await discoverInstance({ name: 'sb', root: sandbox.root, via: '--catmaid-dir' }, { processes: false });
  if ('error' in info.git) throw new Error(`sandbox without git: ${info.git.error}`);
  const folders: string[] = [];
  return {
    sandbox,
    info,
    db: info.settings.settings.database,
    git: { commit: info.git.commit, shortCommit: info.git.shortCommit, describe: info.git.describe },
    env,
    cli: (args) => runCli(['--catmaid-dir', sandbox.root, ...args], { env }),
    sql: (sql) => sandboxSql(sandbox.dir, sql),
    superuserScript: (sql) => superuserSql({ osUser: sandbox.superuser, socketDir: sandbox.socketDir, port: sandbox.port }, pgBin('psql', sandbox.pgVersion), sql),
    superuserDump: async (args) => {
      const file = args[args.indexOf('-f') + 1];
      const rest = args.filter((_, i) => i !== args.indexOf('-f') && i !== args.indexOf('-f') + 1);
      const su = { osUser: sandbox.superuser, socketDir: sandbox.socketDir, port: sandbox.port };
      const pgDump = pgBin('pg_dump', sandbox.pgVersion);
      const dumpArgs = [...rest, '-d', sandbox.database];
      // Without root the cluster runs as this very user: no runuser needed (nor allowed).
      const command = process.getuid?.() === 0 ? superuserCommand(su, pgDump, dumpArgs) : { file: pgDump, args: ['-h', su.socketDir, '-p', String(su.port), ...dumpArgs] };
      await execa(command.file, command.args, { stdout: { file } });
    },
    folder: async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'catmaid-tui-backups-'));
      folders.push(dir);
      return path.join(dir, 'backups');
    },
    destroy: async () => {
      await sandbox.destroy();
      for (const dir of folders) await fs.rm(dir, { recursive: true, force: true });
      await releaseXdg();
    },
  };
}

export interface DataState {
  treenodes: number;
  connectors: number;
  links: number;
  projects: number;
  /** The derived tables: one row per treenode, per link, per connector. */
  edges: number;
  linkEdges: number;
  connectorGeoms: number;
  /** md5 over every row in id order, of treenode, connector and treenode_connector. */
  treenodeChecksum: string;
  connectorChecksum: string;
  linkChecksum: string;
}

const checksum = (table: string) => `(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM ONLY ${table} t)`;

const STATE_SQL = `SELECT
  (SELECT count(*) FROM treenode)::int AS treenodes,
  (SELECT count(*) FROM connector)::int AS connectors,
  (SELECT count(*) FROM treenode_connector)::int AS links,
  (SELECT count(*) FROM project)::int AS projects,
  (SELECT count(*) FROM treenode_edge)::int AS edges,
  (SELECT count(*) FROM treenode_connector_edge)::int AS "linkEdges",
  (SELECT count(*) FROM connector_geom)::int AS "connectorGeoms",
  ${checksum('treenode')} AS "treenodeChecksum",
  ${checksum('connector')} AS "connectorChecksum",
  ${checksum('treenode_connector')} AS "linkChecksum"`;

export function dataState(db: DatabaseSettings): Promise<DataState> {
  return withClient(db, async (client) => (await client.query(STATE_SQL)).rows[0] as DataState);
}

/** What an admin's users do after a backup: add, move and delete nodes. */
export function changeData(db: DatabaseSettings): Promise<void> {
  return withClient(db, async (client) => {
    await client.query(`UPDATE treenode SET location_x = location_x + 1 WHERE id % 7 = 0`);
    await client.query(`DELETE FROM treenode_connector WHERE id % 5 = 0`);
    await client.query(`INSERT INTO project (title) VALUES ('added after the backup')`);
  });
}

export async function listDir(dir: string): Promise<string[]> {
  return (await fs.readdir(dir).catch(() => [] as string[])).sort();
}
