import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { UsageError } from '../tasks/errors.js';
import { relocateSettings, relocateVirtualenv } from './checkout.js';
import { clusterPid, freePort, startOnFreePort, stopCluster, writeServerConf } from './cluster.js';
import { makeDirs, socketDirFor } from './create.js';
import { infoOf, removeSandboxFiles } from './lifecycle.js';
import { assertReachable, clusterOwner, giveToOwner } from './owner.js';
import { relocateServices } from './services/index.js';
import { layoutOf, readState, writeState } from './state.js';
import type { SandboxInfo } from './types.js';

async function removePycache(dir: string): Promise<void> {
  for (const entry of await fs.promises.readdir(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (!entry.isDirectory()) continue;
    if (entry.name === '__pycache__') await fs.promises.rm(child, { recursive: true, force: true });
    else await removePycache(child);
  }
}

/**
 * Copy a stopped sandbox to a new DIR (cp -a keeps owners and modes), give it its own port and socket, point
 * its settings, virtualenv and git remote at the new place, and start it. Same data, same password: much faster
 * than create, for tests and benchmarks that need a fresh sandbox each.
 */
export async function copySandbox(from: string, to: string): Promise<SandboxInfo> {
  const source = readState(path.resolve(from));
  const target = path.resolve(to);
  if (clusterPid(source.pgDir) !== null) throw new UsageError(`stop the sandbox in ${source.dir} before copying it`);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) throw new UsageError(`${target} already exists and is not empty`);
  const owner = await clusterOwner();
  assertReachable(owner, target);
  await makeDirs(path.dirname(target));
  await fs.promises.rm(target, { recursive: true, force: true });
  await execa('cp', ['-a', '--', source.dir, target]);
  const state = { ...source, ...layoutOf(target), socketDir: socketDirFor(target), port: await freePort() };
  try {
    await fs.promises.rm(path.join(state.pgDir, 'postmaster.pid'), { force: true });
    await giveToOwner(owner, state.socketDir, 0o755);
    await writeServerConf(owner, state);
    await relocateVirtualenv(state.root, source.root);
    await removePycache(path.join(state.root, 'django'));
    await execa('git', ['-C', state.root, 'remote', 'set-url', 'origin', state.origin]);
    state.port = await startOnFreePort(owner, state);
    await relocateSettings(state.root, source.root, state.port);
    await relocateServices(source, state);
    await writeState(state);
    return infoOf(state);
  } catch (err) {
    await stopCluster(owner, state).catch(() => undefined);
    await removeSandboxFiles(state);
    throw err;
  }
}
