'use strict';
// The executable's script (bundle.mjs) is not the single executable's main: it is an asset, compiled by the main
// (front.cjs) with a code cache made at build time (code-cache.mjs, warm.cjs). V8 takes a code cache only for the
// very source it was made from, so both sides compile the script through this one wrapper: the arguments Node
// gives a CommonJS main, as when the script was the main itself.
exports.SCRIPT_ASSET = 'catmaid-tui.cjs';
exports.CODE_CACHE_ASSET = 'catmaid-tui.code-cache';

/** The script as the source of one function of (exports, require, module, __filename, __dirname). */
exports.wrapScript = (source) => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
