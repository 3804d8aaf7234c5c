import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import tsupConfig from '../../tsup.config.js';
// @ts-expect-error: a plain .mjs build script without type declarations
import { bundleForExecutable } from '../../scripts/package/bundle.mjs';
import { repoRoot } from '../helpers/cli.js';

/**
 * The single executable's script holds no character above U+00FF (esbuild's ASCII output still leaves some in
 * regular expression literals): with one, V8 keeps the whole 1.7 MB script as a two-byte string in every process.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catmaid-tui-script-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the executable's script", () => {
  it('is Latin-1 only', async () => {
    const file = path.join(dir, 'catmaid-tui.cjs');
    await bundleForExecutable(tsupConfig, repoRoot, file);
    const script = fs.readFileSync(file, 'utf8');
    expect([...script].filter((c) => c.codePointAt(0)! > 0xff)).toEqual([]);
    // the status marks ✓ and ✗ of regular expression literals, now \u escapes
    expect(script).toContain('\\u2713');
  });
});
