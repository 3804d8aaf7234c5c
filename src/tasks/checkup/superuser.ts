import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { CliError, RefusedError, oneLine } from '../errors.js';
import type { DatabaseSettings } from '../instance/types.js';
import { pgBin } from '../pg-bin.js';
import { localCluster } from './gather/disk.js';

/**
 * ALTER SYSTEM and pg_reload_conf() need a superuser, which the CATMAID role normally is not. As root on the
 * database host, the way in is the cluster's own OS user over its socket (peer authentication, no password):
 * the owner of `.s.PGSQL.<port>` in the cluster's socket directory.
 */
export interface SuperuserRoute {
  osUser: string;
  socketDir: string;
  port: number;
}

export async function superuserRoute(db: DatabaseSettings, socketDirs: string | undefined, need = 'ALTER SYSTEM'): Promise<SuperuserRoute> {
  const hint = 'run the statement as the postgres superuser: sudo -u postgres psql -d <database>';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new RefusedError(`${need} needs a PostgreSQL superuser and the CATMAID role is not one`, hint);
  }
  // unix_socket_directories is hidden from non-superusers; the cluster's postmaster.pid names it too.
  const socketDir = socketDirs?.split(',')[0].trim() || (await localCluster(db.port))?.socketDir || '/var/run/postgresql';
  let uid: number;
  try {
    uid = (await fs.stat(path.join(socketDir, `.s.PGSQL.${db.port}`))).uid;
  } catch {
    throw new RefusedError(`no PostgreSQL socket for port ${db.port} in ${socketDir} (is the database on another host?)`, hint);
  }
  const who = await execa('id', ['-nu', String(uid)], { reject: false });
  if (who.exitCode !== 0) throw new RefusedError(`no user name for uid ${uid}`, hint);
  return { osUser: who.stdout.trim(), socketDir, port: db.port };
}

/** Run SQL as that superuser through psql, the SQL on stdin; returns psql's unaligned output. */
export async function superuserSql(route: SuperuserRoute, database: string, sql: string): Promise<string> {
  const args = ['-u', route.osUser, '--', pgBin('psql'), '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
    '-h', route.socketDir, '-p', String(route.port), '-U', route.osUser, '-d', database, '-f', '-'];
  const result = await execa('runuser', args, { input: sql, reject: false, timeout: 20_000 });
  if (result.exitCode !== 0) {
    throw new CliError(`as ${route.osUser}: ${`${result.stderr}`.trim().split('\n').at(-1) ?? 'psql failed'}`);
  }
  return `${result.stdout}`;
}

/** Statements in each database as the cluster's superuser; refused with the exact commands when there is no way in. */
export async function runAsSuperuser(db: DatabaseSettings, databases: readonly string[], statements: readonly string[], text: string): Promise<string[]> {
  let route: SuperuserRoute;
  try {
    route = await superuserRoute(db, undefined, statements.join(' '));
  } catch (err) {
    throw new RefusedError(oneLine(err), `run as the superuser:\n${text}`);
  }
  const lines: string[] = [];
  for (const database of databases) {
    await superuserSql(route, database, `${statements.join('\n')}\n`);
    lines.push(`ran ${statements.join(' ')} in ${database} as ${route.osUser}`);
  }
  return lines;
}
