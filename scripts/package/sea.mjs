// A single executable application (Node's "SEA"): the official node binary of the npm package node-linux-<arch>
// with a blob injected by postject. The blob holds the script and the assets; it is made by the same Node version
// as the binary it goes into (Node requires that), here the one setup.sh put in .node/.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import postject from 'postject';

export const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** The official node binary for `arch`: .node's own for this machine, else `npm pack`ed into .node/cache/. */
export function officialNode(repo, version, arch) {
  const own = path.join(repo, '.node', 'lib', 'node_modules', `node-linux-${arch}`, 'bin', 'node');
  if (fs.existsSync(own)) return own;
  const cache = path.join(repo, '.node', 'cache', `node-linux-${arch}-${version}`);
  const binary = path.join(cache, 'package', 'bin', 'node');
  if (fs.existsSync(binary)) return binary;
  fs.mkdirSync(cache, { recursive: true });
  const packed = run('npm', ['pack', '--silent', `node-linux-${arch}@${version}`, '--pack-destination', cache]);
  run('tar', ['-xzf', path.join(cache, packed.trim().split('\n').pop()), '-C', cache, 'package/bin/node']);
  return binary;
}

/**
 * Write the blob for `main` + `assets` and inject it into a copy of `node` at `output`. The code cache is V8's
 * compiled form of the main for this machine's architecture, so only for a native build.
 */
export async function buildExecutable({ node, main, assets, output, stage, codeCache, execArgv }) {
  const blob = path.join(stage, `${path.basename(output)}.blob`);
  const config = path.join(stage, `${path.basename(output)}.sea-config.json`);
  fs.writeFileSync(config, JSON.stringify({
    main,
    output: blob,
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: codeCache,
    execArgv,
    // NODE_OPTIONS set for another node on the machine (a flag this Node does not know) must not stop catmaid-tui.
    execArgvExtension: 'none',
    assets,
  }, null, 2));
  run(process.execPath, ['--experimental-sea-config', config]);
  const partial = `${output}.partial`;
  fs.copyFileSync(node, partial);
  fs.chmodSync(partial, 0o755);
  // postject's ELF library prints "warning: Can't find string offset for section name '.note.100'" a few times:
  // harmless (nodejs/postject#83); the executable's --version is run right after.
  await postject.inject(partial, 'NODE_SEA_BLOB', fs.readFileSync(blob), { sentinelFuse: SENTINEL_FUSE });
  fs.renameSync(partial, output);
  return fs.statSync(output).size;
}

/** The executable's `--version`, run natively or through qemu-user; null when this machine cannot run it. */
export function executableVersion(file, arch) {
  const command = executableCommand(file, arch);
  return command && run(command[0], [...command.slice(1), '--version']).trim();
}

/**
 * How to run the executable built for `arch` on this machine: itself, or through qemu-user with the cross libc;
 * null when this machine cannot run it.
 */
export function executableCommand(file, arch) {
  if (arch === process.arch) return [file];
  const qemu = { arm64: 'qemu-aarch64', x64: 'qemu-x86_64' }[arch];
  const sysroot = { arm64: '/usr/aarch64-linux-gnu', x64: '/usr/x86_64-linux-gnu' }[arch];
  for (const emulator of [`${qemu}-static`, qemu]) {
    const found = onPath(emulator);
    if (found && fs.existsSync(sysroot)) return [found, '-L', sysroot, file];
  }
  return null;
}

function onPath(name) {
  return (process.env.PATH ?? '').split(':').map((dir) => path.join(dir, name)).find((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr.trim()}`);
  }
  return result.stdout;
}
