// The single executable's script: the same code as `tsup` bundles (tsup.config.ts: entry, plugins such as
// ink-fast, defines, minify), but as ONE CommonJS script, run by the executable's main (front.cjs) from its assets,
// because Node 24 offers only that inside an executable:
// `require` there loads built-in modules only, `import()` and top-level await are not available, and
// `mainFormat: "module"` came after 24.x. So:
//   - every module is bundled into one file: the commands that cli.tsx imports lazily are inside too;
//   - built-in modules go through that `require`, never `import` statements;
//   - the whole ESM bundle runs inside an async function, so that the top-level awaits of src/entry.ts, ink and
//     yoga-layout keep their meaning (ink#844 is the upstream issue about bundling ink into CommonJS);
//   - `import.meta.url` is the executable's own file URL.
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import * as esbuild from 'esbuild';
import { wrapScript } from './script-wrapper.cjs';

const BUILTINS = new Set(builtinModules);

/** Built-in modules (`fs`, `node:fs`, `node:sea` …) become `require()` calls. */
const builtinsThroughRequire = {
  name: 'builtins-through-require',
  setup(build) {
    build.onResolve({ filter: /^[\w:/-]+$/ }, (args) => {
      if (!args.path.startsWith('node:') && !BUILTINS.has(args.path)) return undefined;
      // The require() inside the stand-in module stays a require() at run time.
      return args.namespace === 'builtin' ? { path: args.path, external: true } : { path: args.path, namespace: 'builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) =>
      ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/** ink's devtools, imported only with DEV=true and never installed: loading it says so. */
function absent(names) {
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[-/]/g, '\\$&')).join('|')})$`);
  return {
    name: 'absent-optional-modules',
    setup(build) {
      build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'absent' }));
      build.onLoad({ filter: /.*/, namespace: 'absent' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.path} is not inside the catmaid-tui executable`)});`,
        loader: 'js',
      }));
    },
  };
}

/**
 * Characters above U+00FF as \u escapes. esbuild's ASCII output leaves them in regular expression literals
 * (evanw/esbuild#4205, open), and a single one makes V8 hold the executable's whole script as a two-byte string:
 * 1.6 MB more resident in every process (the monitor's heap snapshot). In string, template and regular expression
 * literals the escape means the same character (only String.raw and a regular expression's `source` show it);
 * an identifier it would break fails the compile in checkSelfContained().
 */
const latin1Only = (code) => code.replace(/[^\x00-\xff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Bundle `config` (tsup.config.ts's object) into `outFile`: its size, and the optional modules left out. */
export async function bundleForExecutable(config, repo, outFile) {
  const entry = path.join(repo, Object.values(config.entry)[0]);
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    target: config.target,
    minify: config.minify,
    legalComments: 'none',
    define: { ...config.define, 'import.meta.url': '__importMetaUrl' },
    plugins: [...(config.esbuildPlugins ?? []), builtinsThroughRequire, absent(['react-devtools-core'])],
    logLevel: 'error',
    absWorkingDir: repo,
  });
  const code = latin1Only(result.outputFiles[0].text);
  const script = [
    '"use strict";',
    'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;',
    '(async () => {',
    code,
    '})().catch((err) => { process.stderr.write(`catmaid-tui: ${err?.stack ?? err}\\n`); process.exit(1); });',
    '',
  ].join('\n');
  const optional = checkSelfContained(result.metafile, script);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, script);
  return { bytes: Buffer.byteLength(script), optional };
}

/**
 * An `import` of something outside would fail inside the executable, and an `import` statement or `import.meta`
 * left in the script would not even compile as CommonJS: stop the build instead. A `require()` of a module that is
 * not there (the optional ones of ws and systeminformation, pg's native binding) throws inside the executable as it
 * does wherever that module is not installed, and the code around it expects that.
 */
function checkSelfContained(metafile, script) {
  const imports = Object.values(metafile.outputs).flatMap((out) => out.imports.filter((i) => i.external));
  const imported = imports.filter((i) => i.kind !== 'require-call').map((i) => i.path);
  if (imported.length > 0) throw new Error(`the executable's bundle still imports from outside itself: ${imported.join(', ')}`);
  new vm.Script(wrapScript(script), { filename: 'executable.cjs' });
  return [...new Set(imports.map((i) => i.path))].filter((name) => !name.startsWith('node:') && !BUILTINS.has(name));
}

/** The executable's main, front.cjs, into `outFile`: a few kB (src/version.ts and package.json's version inside). */
export async function bundleFront(repo, outFile) {
  await esbuild.build({
    entryPoints: [path.join(repo, 'scripts', 'package', 'front.cjs')],
    outfile: outFile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node24',
    minify: true,
    legalComments: 'none',
    logLevel: 'error',
    absWorkingDir: repo,
  });
}
