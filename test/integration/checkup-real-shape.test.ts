import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSql } from '../../src/sandbox/index.js';
import { privateHome, runCli } from '../helpers/cli.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

interface Report {
  checks: { id: string; status: string; current: string; fix: { text: string } | null }[];
}

/**
 * checkup on the real database shape (issue 13 §3), reached through Django's reading of the settings and through
 * the static one: `location` is the parent of `treenode` and `connector`, holds no rows of its own, and autovacuum
 * never gathers the statistics of its whole tree. The statistics check must see that, whichever way the database
 * was found, and its fix (run as the CATMAID role, who owns the tables) must gather them.
 */
describe.each([
  { flavour: 'a working virtualenv', brokenVenv: false },
  { flavour: 'a broken virtualenv', brokenVenv: true },
])('checkup on the real shape, with $flavour', ({ brokenVenv }) => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await createTestSandbox({ brokenVenv });
  });
  afterAll(async () => {
    await sb?.destroy();
  });

  const checkup = (...args: string[]) => runCli(['-C', sb.root, 'checkup', '--samples', '0', ...args], { env: privateHome(sb.dir) });
  const report = async (): Promise<Report> => {
    const result = await checkup('--json');
    expect(result.exitCode, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as Report;
  };
  const check = (r: Report, id: string) => r.checks.find((c) => c.id === id);
  const treeStatistics = async () => Number(await sandboxSql(sb.dir, "SELECT count(*) FROM pg_stats WHERE tablename = 'location' AND inherited"));

  it("counts location stale while its tree has no statistics, and its fix gathers them as the role", async () => {
    // Everything else analyzed, the tree's statistics gone: as a restore or a new install leaves it.
    await sandboxSql(sb.dir, "ANALYZE; DELETE FROM pg_statistic WHERE starelid = 'public.location'::regclass AND stainherit;");
    expect(await treeStatistics()).toBe(0);
    const treenodes = Number(await sandboxSql(sb.dir, 'SELECT count(*) FROM treenode'));
    const connectors = Number(await sandboxSql(sb.dir, 'SELECT count(*) FROM connector'));

    const before = await report();
    expect(check(before, 'django.debug')?.status).toBe('ok');
    const stats = check(before, 'pg.stats');
    expect(stats?.status).toBe('warn');
    expect(stats?.current).toContain(`location (inheritance tree never analyzed, ${treenodes + connectors} rows in its children)`);
    expect(stats?.fix?.text).toMatch(/^VACUUM ANALYZE .*"location"/);

    const applied = await checkup('--apply', 'pg.stats', '--yes');
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(await treeStatistics()).toBeGreaterThan(0);
    expect(check(await report(), 'pg.stats')?.status).toBe('ok');
  });
});
