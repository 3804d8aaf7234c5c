'use strict';
// Build time only (code-cache.mjs): `node warm.cjs SCRIPT OUT ARGS…` runs the executable's script as front.cjs
// does, with ARGS, and at exit writes V8's code cache of it to OUT: every function compiled by then is inside,
// not only the top level that a cache made right after compiling holds.
const fs = require('node:fs');
const { isBuiltin } = require('node:module');
const vm = require('node:vm');
const { wrapScript } = require('./script-wrapper.cjs');

const [file, out] = process.argv.splice(2, 2);
const script = new vm.Script(wrapScript(fs.readFileSync(file, 'utf8')), { filename: file });
process.on('exit', () => fs.writeFileSync(out, script.createCachedData()));
// Inside the executable `require` loads built-in modules only; the same here, so that an optional module that
// happens to be installed in node_modules takes no other path than in the executable.
const builtinOnly = (id) => {
  if (isBuiltin(id)) return require(id);
  throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
};
script.runInThisContext()(exports, builtinOnly, module, file, __dirname);
