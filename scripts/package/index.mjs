#!/usr/bin/env node
// npm run package: dist/catmaid-tui-linux-<arch> for x64 and arm64 (single executable applications on the
// Node.js of .node-version) and the release tarballs catmaid-tui-<version>-linux-<arch>.tar.gz, with
// dist/SHA256SUMS over all of them. `--host` builds only this machine's executable (what `npm test` needs).
// Run it on that Node: scripts/with-node npm run package (scripts/setup.sh installs it in .node/).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { templateAssets } from './assets.mjs';
import { bundleForExecutable, bundleFront } from './bundle.mjs';
import { warmCodeCache } from './code-cache.mjs';
import { releaseTarball, writeSums } from './release.mjs';
import { CODE_CACHE_ASSET, SCRIPT_ASSET } from './script-wrapper.cjs';
import { buildExecutable, executableCommand, executableVersion, officialNode, run } from './sea.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const hostOnly = process.argv.includes('--host');
const ARCHS = ['x64', 'arm64'];
// The wizard and the monitor stay open for hours: one V8 helper thread is plenty (as in bin/catmaid-tui).
const EXEC_ARGV = ['--v8-pool-size=1'];

const nodeVersion = fs.readFileSync(path.join(repo, '.node-version'), 'utf8').trim();
if (process.version !== `v${nodeVersion}`) {
  console.error(`package: needs Node.js ${nodeVersion} (.node-version), this is ${process.version}: run it as scripts/with-node npm run package`);
  process.exit(2);
}
process.chdir(repo);
const { version } = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const { default: tsupConfig } = await import(path.join(repo, 'tsup.config.ts'));
const dist = path.join(repo, 'dist');
const stage = path.join(dist, '.package');
fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });

const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
const started = Date.now();
const script = path.join(stage, 'catmaid-tui.cjs');
const bundled = await bundleForExecutable(tsupConfig, repo, script);
console.log(`package: script ${mb(bundled.bytes)}, every module inside; optional, left out: ${bundled.optional.join(', ')}`);
const front = path.join(stage, 'front.cjs');
await bundleFront(repo, front);
const assets = { ...templateAssets(path.join(repo, 'src', 'sandbox', 'template'), stage), [SCRIPT_ASSET]: script };
console.log(`package: ${Object.keys(assets).length - 2} sandbox template files as assets`);

const built = [];
for (const arch of hostOnly ? [process.arch] : ARCHS) {
  const output = path.join(dist, `catmaid-tui-linux-${arch}`);
  const node = officialNode(repo, nodeVersion, arch);
  // V8's code for this machine's architecture: only a native build gets a code cache.
  const native = arch === process.arch;
  const cache = native ? { [CODE_CACHE_ASSET]: await warmCodeCache({ node, script, stage, execArgv: EXEC_ARGV }) } : {};
  if (native) console.log(`package: code cache ${mb(fs.statSync(cache[CODE_CACHE_ASSET]).size)}, made from the wizard's first frame`);
  const size = await buildExecutable({
    node, main: front, assets: { ...assets, ...cache }, output, stage, codeCache: native, execArgv: EXEC_ARGV,
  });
  const said = executableVersion(output, arch);
  if (said !== null && !said.startsWith(`${version} (Node.js v${nodeVersion}, inside this executable)`)) {
    throw new Error(`${output} --version printed ${JSON.stringify(said)}`);
  }
  if (said !== null) checkScript(executableCommand(output, arch));
  const checked = said === null ? 'built, NOT run: no qemu-user and cross libc on this machine to run it' : `--version: ${said}`;
  console.log(`package: ${path.relative(repo, output)} ${mb(size)}; ${checked}`);
  built.push({ arch, output });
}

/**
 * `--version` never reaches the script: `--help` does, and with --debug it says if V8 rejected the code cache.
 * `command` runs the executable here (through qemu-user for the other architecture).
 */
function checkScript(command) {
  const result = spawnSync(command[0], [...command.slice(1), '--debug', '--help'], { encoding: 'utf8' });
  if (result.status !== 0 || !result.stdout.startsWith('Usage: catmaid-tui') || result.stderr !== '') {
    throw new Error(`${command.at(-1)} --debug --help: exit ${result.status}, ${JSON.stringify((result.stderr || result.stdout).slice(0, 300))}`);
  }
}

if (!hostOnly) {
  const mtime = Number(process.env.SOURCE_DATE_EPOCH || run('git', ['log', '-1', '--format=%ct']).trim());
  const files = built.map(({ output }) => path.basename(output));
  for (const { arch, output } of built) {
    const tarball = await releaseTarball({ repo, executable: output, name: `catmaid-tui-${version}-linux-${arch}`, outDir: dist, mtime });
    console.log(`package: ${path.relative(repo, tarball)} ${mb(fs.statSync(tarball).size)}`);
    files.push(path.basename(tarball));
  }
  writeSums(dist, files);
  console.log('package: dist/SHA256SUMS');
}
fs.rmSync(stage, { recursive: true, force: true });
console.log(`package: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
