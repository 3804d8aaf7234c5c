import { defineConfig } from 'tsup';

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
  noExternal: [/.*/],
  // Some CommonJS dependencies (pg, systeminformation) call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  // React's production build: the development one costs about 45% more CPU per frame (bench/monitor).
  define: { 'process.env.NODE_ENV': '"production"' },
  esbuildOptions(options) {
    // Optional modules, loaded only when present: ink's devtools and pg's native binding.
    options.external = [...(options.external ?? []), 'react-devtools-core', 'pg-native'];
  },
});
