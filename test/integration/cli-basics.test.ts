import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { runCli } from '../helpers/cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const isolated = { XDG_CONFIG_HOME: path.join(tmp, 'config'), XDG_STATE_HOME: path.join(tmp, 'state'), CATMAID_DIR: '' };

describe('the command line, as a script sees it', () => {
  it('prints its version and help', async () => {
    const version = await runCli(['--version']);
    expect(version.exitCode).toBe(0);
    expect(version.stdout.trim()).toBe(`${pkg.version} (Node.js ${process.version}, ${process.execPath})`);
    const help = await runCli(['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('info');
    expect(help.stdout).toContain('sandbox');
  });

  it('refuses the wizard without a terminal (exit 2) and points at the subcommands', async () => {
    const result = await runCli([], { env: isolated, cwd: tmp });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/^catmaid-tui: .*terminal/);
    expect(result.stderr).toMatch(/info/);
    expect(result.stderr).not.toMatch(/\s+at /);
  });

  it('says in one line what is wrong with a bad --catmaid-dir, exit 2, no stack trace', async () => {
    const missing = await runCli(['-C', path.join(tmp, 'nope'), 'info'], { env: isolated });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/^catmaid-tui: --catmaid-dir .*nope: no such directory\n {2}hint: /);
    expect(missing.stderr).not.toMatch(/\s+at /);
    const notCatmaid = await runCli(['info', '--catmaid-dir', tmp], { env: isolated });
    expect(notCatmaid.exitCode).toBe(2);
    expect(notCatmaid.stderr).toContain('not a CATMAID checkout (no django/ folder)');
  });

  it('treats unknown commands and options as usage errors (exit 2)', async () => {
    const unknown = await runCli(['frobnicate'], { env: isolated });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    const option = await runCli(['info', '--frob'], { env: isolated });
    expect(option.exitCode).toBe(2);
  });

  it('reports a malformed config file by name instead of resetting it (exit 2)', async () => {
    const config = path.join(tmp, 'badconfig', 'catmaid-tui');
    fs.mkdirSync(config, { recursive: true });
    fs.writeFileSync(path.join(config, 'config.json'), '{ "instances": [1] }');
    const result = await runCli(['info'], { env: { ...isolated, XDG_CONFIG_HOME: path.dirname(config) }, cwd: tmp });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`config file ${path.join(config, 'config.json')}: "instances" must be an object`);
    expect(fs.readFileSync(path.join(config, 'config.json'), 'utf8')).toBe('{ "instances": [1] }');
  });
});

describe('info on a hand-made instance that only the static reader can read', () => {
  it('reads settings_base.py + settings.py, says why Django was not used, and hides the password', async () => {
    const root = path.join(tmp, 'handmade');
    const mysite = path.join(root, 'django', 'projects', 'mysite');
    fs.mkdirSync(mysite, { recursive: true });
    fs.writeFileSync(path.join(root, 'django', 'projects', 'manage.py'), '');
    fs.writeFileSync(path.join(mysite, 'settings_base.py'), "STATIC_EXTENSION_URL = '/staticext/'\nSTATIC_EXTENSION_FILES = []\n");
    fs.writeFileSync(
      path.join(mysite, 'settings.py'),
      [
        'from mysite.settings_base import *',
        'import definitely_not_a_module  # Django cannot import this file',
        "DATABASES = {'default': {'NAME': 'catmaid', 'USER': 'catmaid_user', 'PASSWORD': 's3cret!', 'HOST': '127.0.0.1', 'PORT': '1'}}",
        "DATABASES['default']['CONN_MAX_AGE'] = 60",
        'DEBUG = True',
        "ALLOWED_HOSTS = ['*']",
        "STATIC_EXTENSION_FILES += ('test.js', )",
        'CSRF_COOKIE_SECURE = True',
        '',
      ].join('\n'),
    );
    const gitEnv = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' };
    await execa('git', ['init', '-q', '-b', 'master', root]);
    await execa('git', ['-C', root, 'add', '-A']);
    await execa('git', ['-C', root, 'commit', '-qm', 'init'], { env: gitEnv });
    await execa('git', ['-C', root, 'tag', '2021.12.21']);
    fs.writeFileSync(path.join(root, 'local-change.txt'), 'x');

    const result = await runCli(['info', '--json'], { env: isolated, cwd: path.join(root, 'django') });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const info = JSON.parse(result.stdout);
    expect(info.root).toBe(root);
    expect(info.managePy).toBe(path.join(root, 'django', 'projects', 'manage.py'));
    expect(info.virtualenv).toBe(false);
    expect(info.git).toMatchObject({ branch: 'master', describe: '2021.12.21', latestRelease: '2021.12.21', dirty: true });
    expect(info.settings.source).toBe('static');
    expect(info.settings.fallbackReason).toMatch(/Django import failed: .*(definitely_not_a_module|django)/);
    expect(info.settings.database).toEqual({ name: 'catmaid', user: 'catmaid_user', password: '***', host: '127.0.0.1', port: 1 });
    expect(info.settings).toMatchObject({
      connMaxAge: 60,
      debug: true,
      allowedHosts: ['*'],
      staticExtensionUrl: '/staticext/',
      staticExtensionFiles: ['test.js'],
      staticExtensionFilesIsList: true,
      csrfCookieSecure: true,
      sessionCookieSecure: false,
      secureProxySslHeader: null,
    });
    expect(info.database.reachable).toBe(false);
    expect(info.database.error).toMatch(/ECONNREFUSED|connect/);
    expect(result.stdout).not.toContain('s3cret!');

    const human = await runCli(['-C', root, 'info'], { env: isolated });
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/settings +read statically \(Django import failed/);
    expect(human.stdout).not.toContain('s3cret!');
  });

  it('is a clear error when neither Django nor the static reader can read settings.py', async () => {
    const root = path.join(tmp, 'unreadable');
    const mysite = path.join(root, 'django', 'projects', 'mysite');
    fs.mkdirSync(mysite, { recursive: true });
    fs.writeFileSync(path.join(root, 'django', 'projects', 'manage.py'), '');
    fs.writeFileSync(path.join(mysite, 'settings.py'), 'import nope\nDATABASES = build()\n');
    const result = await runCli(['-C', root, 'info'], { env: isolated });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^catmaid-tui: cannot read the settings: Django import failed \(.*\); static reader: .*DATABASES is computed/);
  });
});
