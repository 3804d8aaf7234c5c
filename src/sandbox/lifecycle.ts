import fs from 'node:fs';
import path from 'node:path';
import { CliError } from '../tasks/errors.js';
import { pgBin } from '../tasks/pg-bin.js';
import { clusterPid, startCluster, stopCluster, superuserSql } from './cluster.js';
import { clusterOwner, runAsOwner } from './owner.js';
import { endSandboxProcesses, servicesInfoOf, startServices, stopServices } from './services/index.js';
import { readState } from './state.js';
import type { SandboxInfo, SandboxState } from './types.js';

export function infoOf(state: SandboxState): SandboxInfo {
  const pid = clusterPid(state.pgDir);
  return {
    dir: state.dir,
    root: state.root,
    origin: state.origin,
    pgDir: state.pgDir,
    socketDir: state.socketDir,
    host: state.host,
    port: state.port,
    database: state.database,
    user: state.user,
    running: pid !== null,
    pid,
    pgVersion: state.pgVersion,
    superuser: state.superuser,
    services: servicesInfoOf(state),
    brokenVenv: state.brokenVenv === true,
  };
}

/** Status of the sandbox in DIR; a clear error (exit 2) when DIR is not a sandbox. */
export async function sandboxStatus(dir: string): Promise<SandboxInfo> {
  return infoOf(readState(path.resolve(dir)));
}

/** Start the database server, and with `services` also CATMAID's services (see services/index.ts). */
export async function startSandbox(dir: string, opts: { services?: boolean } = {}): Promise<SandboxInfo> {
  const state = readState(path.resolve(dir));
  await startCluster(await clusterOwner(), state);
  if (opts.services) await startServices(state);
  return infoOf(state);
}

/** Stop the services (when they were ever started), then the database server. */
export async function stopSandbox(dir: string): Promise<SandboxInfo> {
  const state = readState(path.resolve(dir));
  await stopServices(state);
  await stopCluster(await clusterOwner(), state);
  return infoOf(state);
}

/** Start only CATMAID's services (and the database server they need). */
export async function startSandboxServices(dir: string): Promise<SandboxInfo> {
  return startSandbox(dir, { services: true });
}

export async function stopSandboxServices(dir: string): Promise<SandboxInfo> {
  const state = readState(path.resolve(dir));
  await stopServices(state);
  return infoOf(state);
}

/** Run SQL as the cluster superuser in the sandbox's database (the server must be running). */
export async function sandboxSql(dir: string, sql: string): Promise<string> {
  const state = readState(path.resolve(dir));
  if (clusterPid(state.pgDir) === null) {
    throw new CliError(`the sandbox in ${state.dir} is not running`, undefined, `catmaid-tui sandbox start ${state.dir}`);
  }
  return superuserSql(await clusterOwner(), state, sql, state.database);
}

/** Stop the server however it takes: fast shutdown, then immediate, then SIGKILL. */
async function forceStop(state: SandboxState): Promise<void> {
  const owner = await clusterOwner();
  try {
    await stopCluster(owner, state);
  } catch {
    await runAsOwner(owner, pgBin('pg_ctl', state.pgVersion), ['-D', state.pgDir, '-m', 'immediate', '-w', 'stop']);
  }
  const pid = clusterPid(state.pgDir);
  if (pid !== null) process.kill(pid, 'SIGKILL');
}

/** Stop the server and remove DIR entirely; refuses a folder that is not a sandbox. */
export async function destroySandbox(dir: string): Promise<void> {
  const state = readState(path.resolve(dir));
  // Whatever fails here, the sweep below ends what is left.
  await stopServices(state).catch(() => undefined);
  await forceStop(state);
  const owner = await clusterOwner();
  await endSandboxProcesses(state.dir, [...new Set([process.getuid?.() ?? owner.uid, owner.uid])]);
  await removeSandboxFiles(state);
}

export async function removeSandboxFiles(state: Pick<SandboxState, 'dir' | 'socketDir'>): Promise<void> {
  if (!state.socketDir.startsWith(state.dir + path.sep)) await fs.promises.rm(state.socketDir, { recursive: true, force: true });
  await fs.promises.rm(state.dir, { recursive: true, force: true });
}
