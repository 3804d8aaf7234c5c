import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSql } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/** A value as settings.py itself sets it (the line that overrides settings_base.py's). */
const settingsLine = (text: string, name: string) => new RegExp(`^${name} = '([^']*)'$`, 'm').exec(text)?.[1];

/**
 * Both ways of reading CATMAID's settings: by Django when the virtualenv can import them, statically when it cannot
 * (the real settings_base.py imports celery). Each must name the same database and the same values.
 */
describe.each([
  { flavour: 'a working virtualenv (Django reads the settings)', brokenVenv: false, source: 'django' },
  { flavour: 'a broken virtualenv (the settings read statically)', brokenVenv: true, source: 'static' },
])('info on the sandbox instance, with $flavour', ({ brokenVenv, source }) => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await createTestSandbox({ brokenVenv });
  });
  afterAll(async () => {
    await sb?.destroy();
  });

  it('reports the settings, the git state and a reachable database, without the password', async () => {
    const result = await runCli(['--catmaid-dir', sb.root, 'info', '--json']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const info = JSON.parse(result.stdout);
    expect(info.root).toBe(sb.root);
    expect(info.managePy).toBe(path.join(sb.root, 'django', 'projects', 'manage.py'));
    expect(info.settingsPy).toBe(path.join(sb.root, 'django', 'projects', 'mysite', 'settings.py'));
    expect(info.python).toBe(path.join(sb.root, 'django', 'env', 'bin', 'python'));
    expect(info.virtualenv).toBe(true);
    expect(info.git).toMatchObject({ branch: 'master', describe: '2020.02.15', latestRelease: '2020.02.15', dirty: false });
    expect(info.git.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(info.settings.source).toBe(source);
    if (brokenVenv) expect(info.settings.fallbackReason).toBe("Django import failed: ModuleNotFoundError: No module named 'celery'");
    else expect(info.settings.fallbackReason).toBeUndefined();
    expect(info.settings.database).toEqual({
      name: sb.database,
      user: sb.user,
      password: '***',
      host: sb.host,
      port: sb.port,
    });
    const settingsText = await import('node:fs').then((fs) => fs.readFileSync(info.settingsPy, 'utf8'));
    expect(info.settings).toMatchObject({
      connMaxAge: 0,
      debug: false,
      // settings.py's own line wins over settings_base.py's default (the subdirectory /catmaid/ of its web server).
      staticExtensionUrl: settingsLine(settingsText, 'STATIC_EXTENSION_URL'),
      staticExtensionRoot: path.join(sb.root, 'django', 'staticext'),
      staticExtensionFiles: [],
      staticExtensionFilesIsList: true,
    });
    const size = Number(await sandboxSql(sb.dir, `SELECT pg_database_size('${sb.database}')`));
    expect(info.database.reachable).toBe(true);
    expect(info.database.serverVersion).toMatch(new RegExp(`^${sb.pgVersion}\\.`));
    expect(Math.abs(info.database.sizeBytes - size) / size).toBeLessThan(0.05);
    expect(info.servers).toEqual([]);
    expect(info.processes).toEqual([]);
    // Without Django, the pending migrations cannot be listed: said, not hidden.
    const unchecked = (info.notices as { id: string }[]).some((n) => n.id === 'migrations.unchecked');
    expect(unchecked).toBe(brokenVenv);
    const password = /'PASSWORD':\s*'([^']+)'/.exec(settingsText)?.[1];
    expect(password).toBeTruthy();
    expect(result.stdout).not.toContain(password);
  });

  it('says the database is down, with the reason, when the cluster is stopped', async () => {
    const { stopSandbox, startSandbox } = await import('../../src/sandbox/index.js');
    await stopSandbox(sb.dir);
    try {
      const result = await runCli(['-C', sb.root, 'info']);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(/reachable +no · .*ECONNREFUSED/);
    } finally {
      await startSandbox(sb.dir);
    }
  });
});
