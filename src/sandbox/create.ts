import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CliError, UsageError } from '../tasks/errors.js';
import { installedPgVersions } from '../tasks/pg-bin.js';
import { checkoutPaths, cloneCheckout, createVirtualenv, managePy, writeSettings } from './checkout.js';
import { breakVirtualenv } from './broken-venv.js';
import { freePort, initCluster, startOnFreePort, stopCluster } from './cluster.js';
import { createRoleAndDatabase, EXTENSIONS, roleSql } from './database.js';
import { buildOrigin, CHECKOUT_RELEASE, DEV_RELEASE, RELEASES } from './history.js';
import { infoOf, removeSandboxFiles } from './lifecycle.js';
import { assertReachable, clusterOwner, type ClusterOwner } from './owner.js';
import { seedSql } from './seed.js';
import { assertPlainPath, servicesInfoOf, startServices, stopServices } from './services/index.js';
import { layoutOf, writeState } from './state.js';
import type { CreateOptions, SandboxInfo, SandboxSize, SandboxState } from './types.js';

const SOCKET_PATH_MAX = 107;

/** DIR/run, unless the socket's path would pass the kernel's limit; then a short folder in /tmp. */
export function socketDirFor(dir: string): string {
  const inside = path.join(dir, 'run');
  if (path.join(inside, '.s.PGSQL.65535').length <= SOCKET_PATH_MAX) return inside;
  return path.join('/tmp', `catmaid-tui-${crypto.createHash('sha1').update(dir).digest('hex').slice(0, 12)}`);
}

/** Create DIR and missing parents, each traversable by the cluster owner whatever the umask. */
export async function makeDirs(dir: string): Promise<void> {
  const first = await fs.promises.mkdir(dir, { recursive: true });
  if (!first) return;
  for (let current = dir; current.length >= first.length; current = path.dirname(current)) {
    await fs.promises.chmod(current, 0o755);
  }
}

function assertEmptyTarget(dir: string): void {
  const entries = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  if (entries.length > 0) {
    throw new UsageError(`${dir} already exists and is not empty`, 'destroy it first (catmaid-tui sandbox destroy) or pick another DIR');
  }
}

export async function newState(dir: string, owner: ClusterOwner, size: SandboxSize): Promise<SandboxState> {
  const pgVersion = installedPgVersions()[0];
  if (pgVersion === undefined) throw new CliError('no PostgreSQL server is installed', undefined, 'apt-get install postgresql');
  return {
    kind: 'catmaid-tui-sandbox',
    formatVersion: 1,
    ...layoutOf(dir),
    socketDir: socketDirFor(dir),
    host: '127.0.0.1',
    port: await freePort(),
    database: 'catmaid',
    user: 'catmaid',
    pgVersion,
    superuser: owner.name,
    size,
    complete: false,
  };
}

async function buildCheckout(state: SandboxState, progress: (step: string) => void): Promise<void> {
  await buildOrigin(state.origin, state.pgVersion);
  progress(`origin: ${state.origin} (${RELEASES.length} releases on master, ${DEV_RELEASE} on dev)`);
  await cloneCheckout(state.origin, state.root);
  progress(`checkout: ${state.root} at ${CHECKOUT_RELEASE}`);
  await createVirtualenv(state.root);
  progress(`virtualenv: ${checkoutPaths(state.root).venv}`);
}

async function buildCluster(state: SandboxState, owner: ClusterOwner, password: string, progress: (step: string) => void): Promise<void> {
  await initCluster(owner, state);
  progress(`cluster: PostgreSQL ${state.pgVersion} in ${state.pgDir}`);
  state.port = await startOnFreePort(owner, state);
  await writeState(state);
  progress(`server: listening on ${state.host}:${state.port} and ${state.socketDir}`);
  await createRoleAndDatabase(owner, state, password);
  progress(`database: ${state.database} owned by role ${state.user} (not a superuser), ${EXTENSIONS.join(' and ')} by ${state.superuser}`);
}

/** Build a sandbox in DIR (see issue 2 §4). A failed create removes what it made. */
export async function createSandbox(dir: string, opts: CreateOptions = {}): Promise<SandboxInfo> {
  const target = path.resolve(dir);
  const size = opts.size ?? 'small';
  if (size !== 'small' && size !== 'large') throw new UsageError(`unknown size ${String(size)}`, 'use small or large');
  const progress = opts.onProgress ?? (() => undefined);
  const owner = await clusterOwner();
  assertReachable(owner, target);
  assertEmptyTarget(target);
  if (opts.services) assertPlainPath(target);
  const state = await newState(target, owner, size);
  await makeDirs(target);
  await writeState(state);
  try {
    const password = crypto.randomBytes(18).toString('base64url');
    // Both are waited for even when one fails: a server still starting when the clean-up below stops the cluster
    // would be left running in a folder that is then removed.
    const built = await Promise.allSettled([buildCheckout(state, progress), buildCluster(state, owner, password, progress)]);
    for (const part of built) if (part.status === 'rejected') throw part.reason;
    await writeSettings(state.root, { ...state, root: state.root, password });
    const migrate = await managePy(state.root, ['migrate', '--noinput']);
    if (migrate.exitCode !== 0) throw new CliError(`manage.py migrate failed: ${migrate.stderr || migrate.stdout}`);
    progress('database: migrations applied');
    await roleSql(state, password, seedSql(size));
    progress(`database: seeded (${size}) by ${state.user}, derived tables filled by its triggers`);
    if (opts.brokenVenv) {
      const kept = await breakVirtualenv(state.root);
      state.brokenVenv = true;
      progress(`virtualenv: broken on purpose, it has only ${kept.join(', ')}`);
    }
    state.complete = true;
    await writeState(state);
    if (opts.services) {
      await startServices(state);
      progress(`services: CATMAID at ${servicesInfoOf(state)?.url}`);
    }
    return infoOf(state);
  } catch (err) {
    await stopServices(state).catch(() => undefined);
    await stopCluster(owner, state).catch(() => undefined);
    await removeSandboxFiles(state);
    throw err;
  }
}
