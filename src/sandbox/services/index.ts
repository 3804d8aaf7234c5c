import fs from 'node:fs';
import path from 'node:path';
import { CliError } from '../../tasks/errors.js';
import { withLockFile } from '../../tasks/lock-file.js';
import { findNginx } from '../../tasks/ssl/nginx-version.js';
import { freePort } from '../cluster.js';
import { readState, writeState } from '../state.js';
import type { SandboxState, ServicesInfo } from '../types.js';
import { servicesLayout, servicesRunDir, servicesUrl, SERVICES_GROUP, type ServicesLayout } from './layout.js';
import type { ServicesConfig } from './config-files.js';
import { nginxBinary, nginxPid, startNginx, stopNginx } from './nginx.js';
import { prepareServices, servicesConfig, setSitePort } from './prepare.js';
import { endProcesses, MARKER, sandboxProcesses, withDescendants, type SandboxProcess } from './processes.js';
import { logOffset, waitServing, workerLog, type StartOffsets } from './ready.js';
import { programStates, startSupervisord, stopSupervisord, supervisorctl, supervisordPid, type ProgramState } from './supervisor.js';

export { servicesLayout, CATMAID_SUBDIR, PROGRAMS, SERVICES_GROUP } from './layout.js';
export { assertPlainPath, prepareCheckout } from './prepare.js';
export type { ProgramState } from './supervisor.js';

export function servicesInfoOf(state: SandboxState): ServicesInfo | null {
  if (!state.services) return null;
  const layout = servicesLayout(state.dir);
  const { port } = state.services;
  return {
    running: supervisordPid(layout) !== null && nginxPid(layout) !== null,
    supervisorConf: layout.supervisorConf,
    supervisorSocket: layout.supervisorSocket,
    nginx: { binary: findNginx() ?? 'nginx', prefix: layout.nginxPrefix, conf: layout.nginxConf, siteFile: layout.siteFile, port, pidFile: layout.nginxPid },
    url: servicesUrl(port),
    uwsgiSocket: layout.uwsgiSocket,
    uwsgiStats: layout.uwsgiStats,
    daphneSocket: layout.daphneSocket,
    maintenancePage: layout.maintenancePage,
  };
}

/** A plain environment for supervisord and nginx (and so their programs), with the sandbox's marker. */
function serviceEnv(dir: string): Record<string, string> {
  const env: Record<string, string> = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };
  for (const key of ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'TZ']) {
    const value = process.env[key];
    if (value) env[key] = value;
  }
  return { ...env, [MARKER]: dir };
}

/**
 * Processes of a run that was killed (kill -9 of supervisord or nginx leaves their children running, with the
 * sockets and the port): everything of this sandbox's services that no live supervisord or nginx of it owns.
 */
async function endLeftovers(layout: ServicesLayout, dir: string): Promise<SandboxProcess[]> {
  const supervisord = supervisordPid(layout);
  const nginx = nginxPid(layout);
  const marked = sandboxProcesses({ dir, cwdWithin: [layout.nginxPrefix] });
  const owned = withDescendants([supervisord, nginx].filter((pid): pid is number => pid !== null), marked);
  const stale = await endProcesses(marked.filter((p) => !owned.has(p.pid)));
  if (supervisord === null) {
    for (const socket of [layout.uwsgiSocket, layout.uwsgiStats, layout.daphneSocket]) await fs.promises.rm(socket, { force: true });
  }
  return stale;
}

async function startNginxOnFreePort(state: SandboxState, services: { port: number }, layout: ServicesLayout, env: Record<string, string>): Promise<void> {
  const binary = nginxBinary();
  for (let attempt = 1; ; attempt += 1) {
    const result = await startNginx(layout, binary, env);
    if (result.started) return;
    if (!result.portInUse || attempt >= 3) {
      throw new CliError(`the sandbox's nginx did not start: ${result.message}`, undefined, `see ${path.join(layout.nginxPrefix, 'logs', 'error.log')}`);
    }
    const port = await freePort();
    await setSitePort(layout.siteFile, services.port, port);
    services.port = port;
    await writeState(state);
  }
}

/**
 * Start CATMAID's services (writing their files the first time): supervisord with the group `catmaid`, then
 * nginx; returns when CATMAID answers through nginx and the celery worker consumes. Already running parts are
 * kept; leftovers of a killed run are ended first. The database should run: the app queries it.
 */
export async function startServices(state: SandboxState): Promise<ServicesInfo> {
  const services = (state.services ??= { port: await freePort() });
  const config = servicesConfig(state.dir, state.root, services.port);
  await fs.promises.mkdir(config.layout.base, { recursive: true });
  return withServicesLock(config.layout, () => start(state, services, config));
}

/** One start or stop at a time per sandbox: two supervisords on one configuration would run everything twice. */
function withServicesLock<T>(layout: ServicesLayout, fn: () => Promise<T>): Promise<T> {
  const lock = path.join(layout.base, 'services.lock');
  return withLockFile(lock, fn, 120_000, () => new CliError(`another catmaid-tui is starting or stopping these services (${lock})`));
}

async function start(state: SandboxState, services: { port: number }, config: ServicesConfig): Promise<ServicesInfo> {
  const { layout } = config;
  await prepareServices(config);
  await writeState(state);
  await endLeftovers(layout, state.dir);
  const env = serviceEnv(state.dir);
  const since: StartOffsets = { supervisord: null, worker: null };
  if (supervisordPid(layout) === null) {
    since.supervisord = logOffset(layout.supervisorLog);
    since.worker = logOffset(workerLog(layout));
    await startSupervisord(layout, env);
  } else {
    await supervisorctl(layout, ['update']);
    const states = await programStates(layout);
    if (states.find((s) => s.name === `${SERVICES_GROUP}:celery-worker`)?.state !== 'RUNNING') since.worker = logOffset(workerLog(layout));
    await supervisorctl(layout, ['start', `${SERVICES_GROUP}:*`]);
  }
  if (nginxPid(layout) === null) await startNginxOnFreePort(state, services, layout, env);
  await waitServing(layout, servicesUrl(services.port), since);
  return servicesInfoOf(state) as ServicesInfo;
}

/** Stop supervisord (and so the programs) and nginx, then anything else still carrying the sandbox's marker. */
export async function stopServices(state: SandboxState): Promise<void> {
  if (!state.services) return;
  const layout = servicesLayout(state.dir);
  await fs.promises.mkdir(layout.base, { recursive: true });
  await withServicesLock(layout, async () => {
    await stopSupervisord(layout);
    await stopNginx(layout);
    await endProcesses(sandboxProcesses({ dir: state.dir, cwdWithin: [layout.nginxPrefix] }));
    for (const socket of [layout.uwsgiSocket, layout.uwsgiStats, layout.daphneSocket]) await fs.promises.rm(socket, { force: true });
  });
}

export interface ServicesStatus {
  info: ServicesInfo | null;
  supervisordPid: number | null;
  nginxPid: number | null;
  programs: ProgramState[];
}

export async function servicesStatus(state: SandboxState): Promise<ServicesStatus> {
  const layout = servicesLayout(state.dir);
  return {
    info: servicesInfoOf(state),
    supervisordPid: supervisordPid(layout),
    nginxPid: nginxPid(layout),
    programs: state.services ? await programStates(layout) : [],
  };
}

/** The services' status of the sandbox in DIR (a clear error when DIR is not a sandbox). */
export async function sandboxServicesStatus(dir: string): Promise<ServicesStatus> {
  return servicesStatus(readState(path.resolve(dir)));
}

/**
 * Before a sandbox's folder is removed: end every process still running from it (working directory or an
 * argument under DIR or the services' socket folder, or the sandbox's marker), of these owners.
 */
export async function endSandboxProcesses(dir: string, uids: number[]): Promise<SandboxProcess[]> {
  const run = servicesRunDir(dir);
  const ended = await endProcesses(sandboxProcesses({ dir, within: [dir, run], uids }));
  if (!run.startsWith(dir + path.sep)) await fs.promises.rm(run, { recursive: true, force: true });
  return ended;
}

/**
 * A copied sandbox's services: a port of its own, and the nginx site (kept, as an admin's tool may have
 * changed it) pointed at the new folder. The other configuration files are written again at start.
 */
export async function relocateServices(source: SandboxState, target: SandboxState): Promise<void> {
  if (!source.services) return;
  const port = await freePort();
  target.services = { port };
  const from = servicesLayout(source.dir);
  const to = servicesLayout(target.dir);
  await fs.promises.rm(to.run, { recursive: true, force: true });
  if (!fs.existsSync(to.siteFile)) return;
  const site = (await fs.promises.readFile(to.siteFile, 'utf8')).replaceAll(from.run, to.run).replaceAll(source.dir, target.dir);
  await fs.promises.writeFile(to.siteFile, site);
  await setSitePort(to.siteFile, source.services.port, port);
}
