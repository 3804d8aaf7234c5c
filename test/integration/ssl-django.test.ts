import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readLayout } from '../../src/tasks/instance/layout.js';
import type { InstanceLayout } from '../../src/tasks/instance/types.js';
import { blockStart } from '../../src/tasks/settings-block.js';
import { readSettingsStatically } from '../../src/tasks/instance/settings-static.js';
import { applyDjangoSsl, DJANGO_SSL_BLOCK, planDjangoSsl } from '../../src/tasks/ssl/django-secure.js';
import { readSiteSettings } from '../../src/tasks/ssl/static-settings.js';
import { templateDir } from '../../src/sandbox/template-dir.js';
import { findDjangoPython, freePort, privateNginx, runSsl, tempDir } from './ssl-fixtures.js';

const NAME = 'catmaid.test';
let dir: string;
let root: string;
let layout: InstanceLayout;
let settings: string;

/** settings.py the way create_configuration.py makes it from the example. */
async function freshSettings(): Promise<string> {
  const example = await fs.readFile(path.join(root, 'django/projects/mysite/settings.py.example'), 'utf8');
  const text = example
    .replaceAll('CATMAID_PATH', root)
    .replaceAll('CATMAID_SUBDIR', '')
    .replaceAll('CATMAID_SERVERNAME', NAME)
    .replaceAll('CATMAID_SECRET_KEY', 'k'.repeat(10))
    .replaceAll('CATMAID_DATABASE_PORT', '5432');
  await fs.writeFile(settings, text);
  return text;
}

beforeAll(async () => {
  dir = await tempDir('ssl-django');
  root = path.join(dir, 'catmaid');
  await fs.cp(path.join(templateDir(), 'repo'), root, { recursive: true });
  // The instance's "virtualenv" is a python that has Django.
  await fs.mkdir(path.join(root, 'django/env/bin'), { recursive: true });
  await fs.symlink(await findDjangoPython(), path.join(root, 'django/env/bin/python'));
  layout = readLayout(root);
  settings = layout.settingsPy;
  process.env.XDG_STATE_HOME = path.join(dir, 'state');
});

beforeEach(async () => {
  await freshSettings();
});

afterAll(async () => {
  vi.restoreAllMocks();
  await fs.rm(dir, { recursive: true, force: true });
});

const options = { serverName: NAME, httpsPort: 443, addAllowedHost: false };

describe('--django: the settings that go with HTTPS (Django 3.2 here)', () => {
  it('shows the block as a diff in a dry run, without CSRF_TRUSTED_ORIGINS on 3.2 and saying why, and changes nothing', async () => {
    const before = await fs.readFile(settings, 'utf8');
    const plan = await planDjangoSsl(layout, options);
    expect(plan.version).toMatchObject({ major: 3, minor: 2, source: 'python' });
    expect(plan.diff).toContain("+SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')");
    expect(plan.diff).toContain('+SESSION_COOKIE_SECURE = True');
    expect(plan.diff).not.toContain('CSRF_TRUSTED_ORIGINS');
    expect(plan.notes[0]).toMatch(/^Django 3\.2\.\d+: CSRF_TRUSTED_ORIGINS left out/);
    expect(plan.hostAllowed).toBe(true);
    expect(await fs.readFile(settings, 'utf8')).toBe(before);
  });

  it('twice gives one block, the old file copied to the state folder; the settings import; check --deploy no longer names the cookies', async () => {
    const before = await fs.readFile(settings, 'utf8');
    const first = await applyDjangoSsl(layout, await planDjangoSsl(layout, options));
    expect(first.changed).toBe(true);
    expect(first.copy?.startsWith(path.join(dir, 'state', 'catmaid-tui', 'instances'))).toBe(true);
    expect(await fs.readFile(first.copy!, 'utf8')).toBe(before);
    expect((await fs.readdir(path.dirname(settings))).filter((f) => f.includes('.bak'))).toEqual([]);
    const second = await applyDjangoSsl(layout, await planDjangoSsl(layout, options));
    expect(second.changed).toBe(false);
    const text = await fs.readFile(settings, 'utf8');
    expect(text.split(blockStart(DJANGO_SSL_BLOCK)).length - 1).toBe(1);
    expect(second.loaded).toEqual({ sessionCookieSecure: true, csrfCookieSecure: true, secureProxySslHeader: ['HTTP_X_FORWARDED_PROTO', 'https'], csrfTrustedOrigins: [], allowedHosts: [NAME] });
    const ids = second.warnings.map((w) => w.id);
    expect(ids).not.toContain('security.W012');
    expect(ids).not.toContain('security.W016');
    expect(ids).toEqual(expect.arrayContaining(['security.W004', 'security.W008', 'security.W009']));
    expect(second.warnings.find((w) => w.id === 'security.W008')?.meaning).toMatch(/port-80 nginx server does/);
  });

  it('says when the server name is not in ALLOWED_HOSTS, and adds it on request so both Django and the static reader see it', async () => {
    await fs.writeFile(settings, (await freshSettings()).replace(`ALLOWED_HOSTS = ['${NAME}']`, "ALLOWED_HOSTS = ('localhost',)"));
    const plan = await planDjangoSsl(layout, options);
    expect(plan.hostAllowed).toBe(false);
    expect(plan.notes.join()).toContain(`${NAME} is not in ALLOWED_HOSTS (localhost)`);
    const added = await applyDjangoSsl(layout, await planDjangoSsl(layout, { ...options, addAllowedHost: true }));
    expect(added.loaded.allowedHosts).toEqual(['localhost', NAME]);
    expect(readSettingsStatically(layout).allowedHosts).toEqual(['localhost', NAME]);
    // Asked again, the name is there: the block keeps the line and says nothing more.
    const again = await planDjangoSsl(layout, { ...options, addAllowedHost: true });
    expect(again.diff).toBe('');
  });

  it('puts settings.py back as it was when it does not import', async () => {
    const broken = `${await freshSettings()}\nDEBUG = (\n`;
    await fs.writeFile(settings, broken);
    const plan = { version: null, origin: `https://${NAME}`, allowedHosts: [], hostAllowed: true, lines: ['SESSION_COOKIE_SECURE = True'], notes: [], diff: '' };
    await expect(applyDjangoSsl(layout, plan)).rejects.toMatchObject({ message: expect.stringMatching(/put back/) });
    expect(await fs.readFile(settings, 'utf8')).toBe(broken);
  });
});

describe('the subdirectory and static folders nginx must serve', () => {
  const subdir = async () => {
    const text = `${await freshSettings()}\nFORCE_SCRIPT_NAME = '/catmaid'\nSTATIC_URL = 'static/'\nMEDIA_URL = '/catmaid/files/'\nMEDIA_ROOT = '${root}/django/files/'\nSTATIC_EXTENSION_URL = '/catmaid/staticext/'\n`;
    await fs.writeFile(settings, text);
  };

  it('from Django: a relative STATIC_URL lies under FORCE_SCRIPT_NAME, as Django serves it', async () => {
    await subdir();
    const site = await readSiteSettings(layout);
    expect(site).toMatchObject({ scriptName: '/catmaid', source: 'django' });
    expect(site.folders).toEqual([
      { url: '/catmaid/static/', dir: `${root}/django/static`, what: 'STATIC_URL/STATIC_ROOT' },
      { url: '/catmaid/files/', dir: `${root}/django/files/`, what: 'MEDIA_URL/MEDIA_ROOT' },
      { url: '/catmaid/staticext/', dir: `${root}/django/staticext`, what: 'STATIC_EXTENSION_URL/STATIC_EXTENSION_ROOT' },
    ]);
  });

  it('from the files when Django cannot be imported: the same folders, and why', async () => {
    await subdir();
    const site = await readSiteSettings({ ...layout, python: '/bin/false' });
    expect(site.source).toBe('static');
    expect(site.scriptName).toBe('/catmaid');
    expect(site.folders.map((f) => f.url)).toEqual(['/catmaid/static/', '/catmaid/files/', '/catmaid/staticext/']);
  });

  it('through the command: the site gets the folders Django names under the subdirectory, settings.py the block', async () => {
    await subdir();
    const sites = path.join(dir, 'sites');
    await fs.mkdir(sites, { recursive: true });
    const site = path.join(sites, 'catmaid.conf');
    const nginx = await privateNginx(dir, site);
    process.env.CATMAID_DIR = root;
    process.env.XDG_CONFIG_HOME = path.join(dir, 'config');
    const tls = path.join(dir, 'tls');
    const out = await runSsl(
      ['--server-name', NAME, '--self-signed', '--cert', `${tls}/c.crt`, '--key', `${tls}/c.key`, '--upstream', 'uwsgi://unix:/run/catmaid/uwsgi.socket', '--site-file', site,
        '--nginx-conf', nginx.conf, '--nginx-prefix', nginx.prefix, '--listen', '127.0.0.1', '--https-port', String(await freePort()),
        '--http-port', String(await freePort()), '--django', '--write', '--yes'],
    );
    const written = await fs.readFile(site, 'utf8');
    expect(written).toContain(`    location /catmaid/static/ {\n        alias ${root}/django/static/;\n    }`);
    expect(written).toContain(`    location /catmaid/staticext/ {\n        alias ${root}/django/staticext/;\n    }`);
    expect(written).toContain('    location /catmaid/ {\n        include uwsgi_params;\n        uwsgi_pass unix:/run/catmaid/uwsgi.socket;\n        uwsgi_param HTTP_X_FORWARDED_PROTO $scheme;');
    expect(await fs.readFile(settings, 'utf8')).toContain('CSRF_COOKIE_SECURE = True');
    expect(out).toContain('settings.py: SSL block written');
    expect(out).toContain('manage.py check --deploy still warns:');
    expect(out).toMatch(/security\.W004: Django sends no HSTS header/);
  });
});
