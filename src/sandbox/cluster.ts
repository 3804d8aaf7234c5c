import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { CliError } from '../tasks/errors.js';
import { pgBin } from '../tasks/pg-bin.js';
import { giveToOwner, runAsOwner, type ClusterOwner } from './owner.js';
import type { SandboxState } from './types.js';

type ClusterState = Pick<SandboxState, 'pgDir' | 'socketDir' | 'logFile' | 'host' | 'port' | 'pgVersion' | 'superuser'>;

/** A TCP port on 127.0.0.1 that nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function hbaConf(superuser: string): string {
  return [
    '# catmaid-tui sandbox: the superuser by peer on the socket, everyone else by password (scram).',
    `local   all   ${superuser}   peer`,
    'local   all   all   scram-sha-256',
    'host    all   all   127.0.0.1/32   scram-sha-256',
    '',
  ].join('\n');
}

/** Settings that differ per sandbox; rewritten when a sandbox is copied to a new folder and port. */
export function serverConf(state: ClusterState): string {
  return [
    '# Written by catmaid-tui sandbox. A throwaway cluster: durability traded for speed.',
    `listen_addresses = '${state.host}'`,
    `port = ${state.port}`,
    `unix_socket_directories = '${state.socketDir}'`,
    "password_encryption = 'scram-sha-256'",
    'max_connections = 300',
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    '',
  ].join('\n');
}

async function writeOwned(owner: ClusterOwner, file: string, content: string): Promise<void> {
  await fs.promises.writeFile(file, content, { mode: 0o600 });
  if (owner.switchUser) await fs.promises.chown(file, owner.uid, owner.gid);
}

export async function writeServerConf(owner: ClusterOwner, state: ClusterState): Promise<void> {
  await writeOwned(owner, path.join(state.pgDir, 'sandbox.conf'), serverConf(state));
}

/** initdb with the newest installed server, then our access rules and settings. */
export async function initCluster(owner: ClusterOwner, state: ClusterState): Promise<void> {
  await giveToOwner(owner, state.pgDir, 0o700);
  await giveToOwner(owner, state.socketDir, 0o755);
  await giveToOwner(owner, path.dirname(state.logFile), 0o755);
  const initdb = pgBin('initdb', state.pgVersion);
  const args = ['-D', state.pgDir, '-U', state.superuser, '-E', 'UTF8', '--locale=C', '--no-sync',
    '--auth-local=peer', '--auth-host=scram-sha-256'];
  const result = await runAsOwner(owner, initdb, args);
  if (result.exitCode !== 0) throw new CliError(`initdb failed: ${result.stderr || result.stdout}`);
  await writeOwned(owner, path.join(state.pgDir, 'pg_hba.conf'), hbaConf(state.superuser));
  await fs.promises.appendFile(path.join(state.pgDir, 'postgresql.conf'), "\ninclude 'sandbox.conf'\n");
  await writeServerConf(owner, state);
}

function logTail(state: ClusterState, lines = 5): string {
  try {
    return fs.readFileSync(state.logFile, 'utf8').trim().split('\n').slice(-lines).join(' · ');
  } catch {
    return '';
  }
}

/** The postmaster's pid when it is running, from DIR/pg/postmaster.pid. */
export function clusterPid(pgDir: string): number | null {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  // A stale pid file after a crash may name a pid now used by something else.
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmdline.some((arg) => arg.includes('postgres')) ? pid : null;
  } catch {
    return null;
  }
}

export async function startCluster(owner: ClusterOwner, state: ClusterState): Promise<void> {
  if (clusterPid(state.pgDir) !== null) return;
  const pgCtl = pgBin('pg_ctl', state.pgVersion);
  const result = await runAsOwner(owner, pgCtl, ['-D', state.pgDir, '-l', state.logFile, '-w', '-t', '60', '-s', 'start']);
  if (result.exitCode !== 0) {
    throw new CliError(`the sandbox's PostgreSQL did not start: ${logTail(state) || result.stderr}`, undefined,
      `see ${state.logFile}`);
  }
}

/** Start on the configured port, or on another free one when that is taken meanwhile; returns the port used. */
export async function startOnFreePort(owner: ClusterOwner, state: ClusterState): Promise<number> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await startCluster(owner, state);
      return state.port;
    } catch (err) {
      if (attempt >= 3 || !/Address already in use|could not bind|could not create any TCP/i.test(logTail(state, 20))) {
        throw err;
      }
      state.port = await freePort();
      await writeServerConf(owner, state);
    }
  }
}

export async function stopCluster(owner: ClusterOwner, state: ClusterState): Promise<void> {
  if (clusterPid(state.pgDir) === null) return;
  const pgCtl = pgBin('pg_ctl', state.pgVersion);
  const result = await runAsOwner(owner, pgCtl, ['-D', state.pgDir, '-m', 'fast', '-w', '-t', '60', '-s', 'stop']);
  if (result.exitCode !== 0 && clusterPid(state.pgDir) !== null) {
    throw new CliError(`the sandbox's PostgreSQL did not stop: ${result.stderr || logTail(state)}`);
  }
}

/**
 * Run SQL as the cluster superuser through psql on the socket (peer authentication, nothing in argv but
 * paths). The SQL goes on stdin; output is unaligned, tuples only: one row a line, columns split by `|`.
 */
export async function superuserSql(owner: ClusterOwner, state: ClusterState, sql: string, database = 'postgres'): Promise<string> {
  const psql = pgBin('psql', state.pgVersion);
  const args = ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', state.socketDir, '-p', String(state.port),
    '-U', state.superuser, '-d', database, '-f', '-'];
  const result = await runAsOwner(owner, psql, args, { input: sql });
  if (result.exitCode !== 0) throw new CliError(`SQL failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}
