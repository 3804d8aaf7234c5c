import fs from 'node:fs';
import path from 'node:path';
import { clusterPid, freePort, initCluster, startOnFreePort, stopCluster } from '../../sandbox/cluster.js';
import { assertReachable, clusterOwner, type ClusterOwner } from '../../sandbox/owner.js';
import { withClient } from '../db/connect.js';
import { CliError, oneLine } from '../errors.js';
import { instanceStatePath } from '../instance/identity.js';
import type { DatabaseSettings } from '../instance/types.js';
import { processAlive } from '../process-alive.js';
import { endProcesses, sandboxProcesses, withDescendants } from '../../sandbox/services/processes.js';
import type { RestoreTestRecord } from './manifest.js';

/**
 * Where a restore test restores to: a throwaway database `<db>_verify_<time>` on the instance's own server when
 * the CATMAID role may create one with the dump's extensions (a superuser; or CREATEDB and trusted extensions),
 * else a temporary cluster of catmaid-tui's own (initdb, a private socket, no TCP), where it is the superuser.
 * Either is removed afterwards; one left by a run that was killed is removed by the next restore test.
 */
export interface VerifyTarget {
  where: RestoreTestRecord['where'];
  db: DatabaseSettings;
  /** Drop the database, or stop and delete the cluster. */
  remove(): Promise<void>;
}

interface Leftover {
  pid: number;
  where: RestoreTestRecord['where'];
  /** The database name, or the cluster's folder. */
  name: string;
  db: DatabaseSettings;
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const leftoverDir = (root: string): string => instanceStatePath(root, 'restore-tests');

/** YYYYmmddHHMMSS in UTC: part of a database name, so it must be short and plain. */
const stamp = (date: Date): string => date.toISOString().replace(/\D/g, '').slice(0, 14);

/** Whether the role may create a database with these extensions on its own server. */
export async function mayCreateDatabase(db: DatabaseSettings, extensions: readonly string[]): Promise<boolean> {
  return withClient(db, async (client) => {
    const role = (await client.query<{ rolsuper: boolean; rolcreatedb: boolean }>('SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = current_user')).rows[0];
    if (role?.rolsuper) return true;
    if (!role?.rolcreatedb) return false;
    const trusted = new Set((await client.query<{ name: string }>('SELECT DISTINCT name FROM pg_available_extension_versions WHERE trusted')).rows.map((r) => r.name));
    return extensions.every((name) => trusted.has(name));
  });
}

async function throwawayDatabase(db: DatabaseSettings, name: string, extensions: readonly string[]): Promise<VerifyTarget> {
  await withClient(db, (client) => client.query(`CREATE DATABASE ${ident(name)}`));
  const target = { ...db, name };
  const remove = () => withClient(db, (client) => client.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`)).then(() => undefined);
  try {
    await withClient(target, async (client) => {
      for (const extension of extensions) await client.query(`CREATE EXTENSION IF NOT EXISTS ${ident(extension)}`);
    });
  } catch (err) {
    await remove().catch(() => undefined);
    throw err;
  }
  return { where: 'database', db: target, remove };
}

/** Roles the dump may name (owners, grants): created NOLOGIN in the temporary cluster. */
async function roleNames(db: DatabaseSettings): Promise<string[]> {
  return withClient(db, async (client) =>
    (await client.query<{ name: string }>("SELECT rolname AS name FROM pg_roles WHERE rolname !~ '^pg_' AND NOT rolsuper")).rows.map((r) => r.name),
  );
}

/** Not /tmp, which may be a small tmpfs (Debian 13): the restored database is as large as the instance's. */
const clusterParent = (): string => process.env.TMPDIR || '/var/tmp';

async function temporaryCluster(db: DatabaseSettings, major: number, extensions: readonly string[], dir: string): Promise<VerifyTarget> {
  const owner = await clusterOwner();
  const parent = clusterParent();
  fs.chmodSync(dir, 0o755);
  const state = { pgDir: path.join(dir, 'pg'), socketDir: path.join(dir, 'socket'), logFile: path.join(dir, 'log', 'postgres.log'), host: '', port: await freePort(), pgVersion: major, superuser: owner.name };
  const remove = async () => {
    await stopCluster(owner, state).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    assertReachable(owner, dir);
    await initCluster(owner, state);
    // Only its owner (and root) may reach the socket: the restored copy holds the instance's data and password hashes.
    fs.writeFileSync(path.join(state.pgDir, 'pg_hba.conf'), 'local all all trust\n', { mode: 0o600 });
    if (owner.switchUser) fs.chownSync(path.join(state.pgDir, 'pg_hba.conf'), owner.uid, owner.gid);
    fs.chmodSync(state.socketDir, 0o700);
    await startOnFreePort(owner, state);
    const admin: DatabaseSettings = { name: 'postgres', user: owner.name, password: '', host: state.socketDir, port: state.port };
    const roles = await roleNames(db).catch(() => [db.user]);
    await withClient(admin, async (client) => {
      for (const role of new Set([...roles, db.user])) await client.query(`DO $$ BEGIN CREATE ROLE ${ident(role)} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
      await client.query(`CREATE DATABASE ${ident(db.name)}`);
    });
    const target = { ...admin, name: db.name };
    await withClient(target, async (client) => {
      for (const extension of extensions) await client.query(`CREATE EXTENSION IF NOT EXISTS ${ident(extension)}`);
    });
    return { where: 'cluster', db: target, remove };
  } catch (err) {
    await remove();
    throw new CliError(`cannot start a temporary cluster for the restore test: ${oneLine(err)}`, 1, `it needs PostgreSQL ${major} with the extensions ${extensions.join(', ')} installed on this host, and room in ${parent}`);
  }
}

/**
 * The place to restore into, recorded (with this process's pid) in the instance's state folder until removed,
 * so a run killed half-way leaves nothing the next one does not clean up.
 */
export async function openVerifyTarget(root: string, db: DatabaseSettings, major: number, extensions: readonly string[], options: { where?: 'auto' | RestoreTestRecord['where']; now?: Date } = {}): Promise<VerifyTarget> {
  await removeLeftovers(root, db);
  const where = options.where && options.where !== 'auto' ? options.where : (await mayCreateDatabase(db, extensions)) ? 'database' : 'cluster';
  // Recorded before it exists: a kill at any moment after this leaves a record the next run acts on.
  const name = where === 'database' ? `${db.name}_verify_${stamp(options.now ?? new Date())}`.slice(0, 63) : fs.mkdtempSync(path.join(clusterParent(), 'catmaid-tui-verify-'));
  const record = path.join(leftoverDir(root), `${process.pid}-${Date.now()}.json`);
  const leftover: Leftover = { pid: process.pid, where, name, db: { ...db, password: '' } };
  fs.writeFileSync(record, JSON.stringify(leftover), { mode: 0o600 });
  try {
    const target = where === 'database' ? await throwawayDatabase(db, name, extensions) : await temporaryCluster(db, major, extensions, name);
    return {
      ...target,
      remove: async () => {
        await target.remove();
        fs.rmSync(record, { force: true });
      },
    };
  } catch (err) {
    fs.rmSync(record, { force: true });
    throw err;
  }
}

/** Databases and clusters of restore tests whose process is gone. The instance's password is not kept: `db` gives it. */
export async function removeLeftovers(root: string, db?: DatabaseSettings): Promise<string[]> {
  const removed: string[] = [];
  const dir = leftoverDir(root);
  for (const file of fs.readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    let leftover: Leftover;
    try {
      leftover = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Leftover;
    } catch {
      continue;
    }
    if (processAlive(leftover.pid)) continue;
    try {
      if (leftover.where === 'cluster') await removeCluster(leftover.name);
      else if (db && /_verify_\d{14}$/.test(leftover.name)) await withClient({ ...leftover.db, password: db.password }, (client) => client.query(`DROP DATABASE IF EXISTS ${ident(leftover.name)} WITH (FORCE)`));
      else continue;
      fs.rmSync(path.join(dir, file), { force: true });
      removed.push(leftover.name);
    } catch {
      // Tried again next time.
    }
  }
  return removed;
}

async function removeCluster(dir: string): Promise<void> {
  if (!path.basename(dir).startsWith('catmaid-tui-verify-')) return;
  const owner: ClusterOwner = await clusterOwner();
  const pgDir = path.join(dir, 'pg');
  const state = { pgDir, socketDir: path.join(dir, 'socket'), logFile: path.join(dir, 'log', 'postgres.log'), host: '', port: 0, pgVersion: 0, superuser: owner.name };
  const working = () => sandboxProcesses({ dir, within: [dir], uids: [owner.uid] });
  // A run killed during initdb leaves initdb and its single-user backend working on the folder (pg_ctl cannot stop
  // those, and they write files while the folder is removed): everything but a running server is ended first.
  const server = clusterPid(pgDir);
  const serverFamily = server === null ? new Set<number>() : withDescendants([server], working());
  await endProcesses(working().filter((p) => !serverFamily.has(p.pid)));
  if (clusterPid(pgDir) !== null) await stopCluster(owner, state);
  // The postmaster removes its socket and lock files as it exits, racing the removal (ENOTEMPTY): retried.
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}
