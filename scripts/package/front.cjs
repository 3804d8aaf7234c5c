'use strict';
// The single executable's main (bundled by bundleFront() in bundle.mjs). `--version` is answered here, before the
// 1.7 MB script is even read: esbuild hoists the top-level code of every module the CLI imports statically, so
// through the script it cost about 30 ms more than bare Node (bench/startup; goal <= 1.5x). Everything else runs
// the script from the executable's assets, compiled with the code cache made at build time from a real start of
// the wizard (code-cache.mjs): V8 then compiles almost nothing before the first frame.
const sea = require('node:sea');
const vm = require('node:vm');
const { versionText } = require('../../src/version.ts');
const { CODE_CACHE_ASSET, SCRIPT_ASSET, wrapScript } = require('./script-wrapper.cjs');

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${versionText()}\n`);
} else {
  // getRawAsset: the bytes where they lie in the executable, no copy; the script is Latin-1 only (bundle.mjs), so
  // the string V8 holds is one byte per character.
  const source = Buffer.from(sea.getRawAsset(SCRIPT_ASSET)).toString('utf8');
  let cachedData;
  try {
    cachedData = Buffer.from(sea.getRawAsset(CODE_CACHE_ASSET));
  } catch {
    // An executable for another architecture is built without one (its V8 code is not this machine's).
  }
  const script = new vm.Script(wrapScript(source), { filename: __filename, cachedData });
  if (cachedData && script.cachedDataRejected && args.includes('--debug')) {
    process.stderr.write('catmaid-tui: V8 rejected the code cache inside this executable; starting without it\n');
  }
  script.runInThisContext()(exports, require, module, __filename, __dirname);
}
