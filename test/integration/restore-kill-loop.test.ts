import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/** The short version of scripts/restore-kill-loop (run by hand with --size large --kills 20): one kill per format. */
let sb: TestSandbox;
beforeAll(async () => {
  sb = await createTestSandbox();
});
afterAll(async () => {
  await sb?.destroy();
});

describe('kill -9 of catmaid-tui at random moments of restores', () => {
  it('leaves the database entirely old or entirely new every time, in every format', async () => {
    const run = await execa(path.join(repoRoot, 'scripts', 'restore-kill-loop'), ['--sandbox', sb.dir, '--kills', '3', '--seed', '12'], {
      reject: false,
      timeout: 240_000,
      env: { NO_COLOR: '1' },
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode, run.stdout).toBe(0);
    const kills = run.stdout.split('\n').filter((l) => l.startsWith('kill '));
    expect(kills.map((l) => l.split(/\s+/)[2])).toEqual(['sql', 'custom', 'directory']);
    for (const line of kills) expect(line).toMatch(/: entirely (old|new, derived tables \d+\/\d+\/\d+)/);
    expect(run.stdout).toMatch(/^3 kills: .*; half-restored: 0$/m);
  }, 300_000);
});
