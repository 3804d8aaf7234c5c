import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'tsup';
import type { Plugin } from 'esbuild';

/**
 * ink 6.8's text output, measuring and wrapping modules (and its use of widest-line) are swapped for src/ink-fast/ (same output, bounded
 * caches, a fast path for plain text; see src/ink-fast/output.ts for why), and its yoga-layout is loaded without
 * Node's fetch (src/ink-fast/yoga-layout.ts). They were written against ink's
 * internals of exactly this version and compared with them in test/unit/ink-fast.test.ts, so another ink
 * stops the build rather than mixing them with internals they were not checked against.
 * Kept rather than moving to ink 8 (Node >= 22): measured side by side by bench/monitor (200 connections, 1 s,
 * 60 s, three runs, Node 24.22 for both), ink 8.0 without the fork used 1.05-1.09 CPU-s and 138-157 MB resident
 * against 0.64-0.72 CPU-s and 104-115 MB for ink 6.8 with it: ink 8 does not make the fork unnecessary.
 */
const INK_CHECKED = '6.8.0';
const inkBuild = path.resolve('node_modules/ink/build');
const inkFast: Plugin = {
  name: 'ink-fast',
  setup(build) {
    const { version } = JSON.parse(fs.readFileSync(path.join(inkBuild, '..', 'package.json'), 'utf8')) as { version: string };
    if (version !== INK_CHECKED) {
      throw new Error(`ink ${version} is installed but src/ink-fast/ was checked against ink ${INK_CHECKED}: ` +
        'compare the two again (test/unit/ink-fast.test.ts) and update INK_CHECKED in tsup.config.ts');
    }
    build.onResolve({ filter: /^(\.\/(output|measure-text|wrap-text)\.js|widest-line|yoga-layout)$/ }, (args) =>
      path.dirname(args.importer) === inkBuild
        ? { path: path.resolve('src/ink-fast', `${path.basename(args.path, '.js')}.ts`) }
        : undefined);
  },
};

// One bundled file: start-up must not resolve hundreds of modules (issue 2: first frame < 200 ms).
export default defineConfig({
  entry: { cli: 'src/entry.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  clean: true,
  bundle: true,
  splitting: true,
  sourcemap: false,
  // Smaller to read and hold: about 2 MB less resident in the monitor. Errors reach people as one line, never
  // as a stack trace, so the names minifying loses are not shown anywhere.
  minify: true,
  noExternal: [/.*/],
  // node:sea (and node:sqlite, node:test) exist only with their prefix: keep every import's as written.
  removeNodeProtocol: false,
  // Some CommonJS dependencies (pg, systeminformation) call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  // React's production build: the development one costs about 45% more CPU per frame (bench/monitor).
  define: { 'process.env.NODE_ENV': '"production"' },
  esbuildPlugins: [inkFast],
  esbuildOptions(options) {
    // Optional modules, loaded only when present: ink's devtools and pg's native binding.
    options.external = [...(options.external ?? []), 'react-devtools-core', 'pg-native'];
  },
});
