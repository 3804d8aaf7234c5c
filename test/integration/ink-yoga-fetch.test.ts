import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

/**
 * The bundled wizard (what `catmaid-tui monitor` loads) gets yoga-layout without loading undici, Node's fetch,
 * which yoga's own loader would load only to decode its wasm (about 7 MB resident in the monitor); and `fetch` is
 * still there afterwards for the code that uses it. Node 20 has no `navigator`, so pg asks `Response` whether it
 * runs on Cloudflare, which loads undici too: the script gives it Node 22's `navigator` first.
 */
describe("ink's yoga-layout in the bundle", () => {
  it('loads without Node’s fetch implementation, and leaves fetch in place', async () => {
    const app = fs.readdirSync(path.join(repoRoot, 'dist')).find((name) => /^app-.*\.js$/.test(name));
    expect(app, 'dist/app-*.js (npx tsup makes it)').toBeDefined();
    const script = `
      globalThis.navigator ??= { userAgent: 'Node.js' };
      await import(${JSON.stringify(path.join(repoRoot, 'dist', app!))});
      const undici = process.moduleLoadList.filter((name) => name.includes('undici'));
      const response = await fetch('data:text/plain,still%20there');
      console.log(JSON.stringify({ undici, text: await response.text() }));`;
    const { stdout } = await execa(process.execPath, ['--input-type=module', '-e', script]);
    expect(JSON.parse(stdout)).toEqual({ undici: [], text: 'still there' });
  });
});
