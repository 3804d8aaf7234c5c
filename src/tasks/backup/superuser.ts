import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { CliError, RefusedError } from '../errors.js';
import type { DatabaseSettings } from '../instance/types.js';

/**
 * The PostgreSQL superuser as CATMAID's administration manual reaches it on the database host: root becomes the
 * cluster's system user (`runuser -u postgres`) and connects over the local socket, where peer authentication
 * lets it in without a password. Offered, never required: everything else runs as the CATMAID role.
 */
export interface Superuser {
  /** The system user that runs the cluster (owns its socket). */
  osUser: string;
  socketDir: string;
  port: number;
}

const LOCAL_HOSTS = new Set(['', 'localhost', '127.0.0.1', '::1']);

/** The socket of the server on `port`, from the kernel's list of unix sockets (the folder differs per install). */
async function socketOf(db: DatabaseSettings): Promise<string | null> {
  const name = `.s.PGSQL.${db.port}`;
  if (db.host.startsWith('/')) return path.join(db.host, name);
  const table = await fs.readFile('/proc/net/unix', 'utf8').catch(() => '');
  const paths = table.split('\n').map((line) => line.split(' ').at(-1) ?? '').filter((p) => p.endsWith(`/${name}`));
  return paths.find((p) => p.startsWith('/var/run/postgresql/') || p.startsWith('/run/postgresql/')) ?? paths[0] ?? null;
}

/** Whether root can become the superuser for this database here; a RefusedError says why not. */
export async function findSuperuser(db: DatabaseSettings): Promise<Superuser> {
  const hint = 'restore as the CATMAID role (without --as-superuser), or run catmaid-tui as root on the database host';
  if (process.getuid?.() !== 0) throw new RefusedError('the superuser is reached through root (runuser -u postgres): catmaid-tui does not run as root', hint);
  if (!LOCAL_HOSTS.has(db.host) && !db.host.startsWith('/')) {
    throw new RefusedError(`the database is on ${db.host}, not on this host: its superuser is not reachable through a local socket`, hint);
  }
  const socket = await socketOf(db);
  const stat = socket ? await fs.stat(socket).catch(() => null) : null;
  if (!socket || !stat) throw new RefusedError(`no PostgreSQL socket for port ${db.port} on this host`, hint);
  const owner = await execa('id', ['-nu', String(stat.uid)], { reject: false });
  if (owner.exitCode !== 0) throw new RefusedError(`the socket ${socket} belongs to uid ${stat.uid}, which has no name`, hint);
  return { osUser: owner.stdout.trim(), socketDir: path.dirname(socket), port: db.port };
}

/** A PostgreSQL program run as the superuser: `runuser -u postgres -- <program> -h <socket dir> -p <port> …`. */
export function superuserCommand(su: Superuser, program: string, args: readonly string[]): { file: string; args: string[] } {
  return { file: 'runuser', args: ['-u', su.osUser, '--', program, '-h', su.socketDir, '-p', String(su.port), ...args] };
}

/** Run a script as the superuser (psql -f -, stop at the first error); its output, tuples only. */
export async function superuserSql(su: Superuser, psql: string, sql: string, database = 'postgres'): Promise<string> {
  const command = superuserCommand(su, psql, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', database, '-f', '-']);
  const run = await execa(command.file, command.args, { input: sql, reject: false, extendEnv: false, env: { PATH: process.env.PATH } });
  if (run.exitCode !== 0) throw new CliError(`as the superuser: ${run.stderr.trim().split('\n').at(-1) || `exit ${run.exitCode}`}`, 1);
  return run.stdout;
}
