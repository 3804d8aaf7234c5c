import fs from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerSsl } from '../../src/commands/ssl.js';
import { readLayout } from '../../src/tasks/instance/layout.js';
import type { InstanceLayout } from '../../src/tasks/instance/types.js';
import { blockStart } from '../../src/tasks/settings-block.js';
import { applyDjangoSsl, DJANGO_SSL_BLOCK, previewDjangoSsl } from '../../src/tasks/ssl/django-secure.js';
import { templateDir } from '../../src/sandbox/template-dir.js';
import { findDjangoPython, freePort, privateNginx, tempDir } from './ssl-fixtures.js';

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
});

beforeEach(async () => {
  await freshSettings();
});

afterAll(async () => {
  vi.restoreAllMocks();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('--django: the settings that go with HTTPS', () => {
  it('shows the block as a diff in a dry run and changes nothing', async () => {
    const before = await fs.readFile(settings, 'utf8');
    const diff = await previewDjangoSsl(layout);
    expect(diff).toContain("+SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')");
    expect(diff).toContain('+SESSION_COOKIE_SECURE = True');
    expect(await fs.readFile(settings, 'utf8')).toBe(before);
  });

  it('twice gives one block; the settings import with the values, and check --deploy no longer names the cookies', async () => {
    const before = await fs.readFile(settings, 'utf8');
    const first = await applyDjangoSsl(layout);
    expect(first.changed).toBe(true);
    expect(await fs.readFile(first.backup!, 'utf8')).toBe(before);
    const second = await applyDjangoSsl(layout);
    expect(second.changed).toBe(false);
    const text = await fs.readFile(settings, 'utf8');
    expect(text.split(blockStart(DJANGO_SSL_BLOCK)).length - 1).toBe(1);
    expect(second.loaded).toEqual({ sessionCookieSecure: true, csrfCookieSecure: true, secureProxySslHeader: ['HTTP_X_FORWARDED_PROTO', 'https'] });
    const ids = second.warnings.map((w) => w.id);
    expect(ids).not.toContain('security.W012');
    expect(ids).not.toContain('security.W016');
    expect(ids).toEqual(expect.arrayContaining(['security.W004', 'security.W008', 'security.W009']));
    expect(second.warnings.find((w) => w.id === 'security.W008')?.meaning).toMatch(/port-80 nginx server does/);
  });

  it('puts settings.py back as it was when it does not import', async () => {
    const broken = `${await freshSettings()}\nDEBUG = (\n`;
    await fs.writeFile(settings, broken);
    await expect(applyDjangoSsl(layout)).rejects.toMatchObject({ message: expect.stringMatching(/put back/) });
    expect(await fs.readFile(settings, 'utf8')).toBe(broken);
  });

  it('through the command: nginx site with the static folders Django names, settings block, deploy warnings', async () => {
    const sites = path.join(dir, 'sites');
    await fs.mkdir(sites, { recursive: true });
    const site = path.join(sites, 'catmaid.conf');
    const nginx = await privateNginx(dir, site);
    process.env.CATMAID_DIR = root;
    process.env.XDG_CONFIG_HOME = path.join(dir, 'config');
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += chunk.toString();
      return true;
    });
    const program = new Command('catmaid-tui').exitOverride();
    registerSsl(program);
    const tls = path.join(dir, 'tls');
    await program.parseAsync(
      ['ssl', '--server-name', NAME, '--self-signed', '--cert', `${tls}/c.crt`, '--key', `${tls}/c.key`, '--upstream', '127.0.0.1:8000', '--site-file', site,
        '--nginx-conf', nginx.conf, '--nginx-prefix', nginx.prefix, '--listen', '127.0.0.1', '--https-port', String(await freePort()),
        '--http-port', String(await freePort()), '--django', '--write'],
      { from: 'user' },
    );
    const written = await fs.readFile(site, 'utf8');
    expect(written).toContain(`    location /static/ {\n        alias ${root}/django/static/;\n    }`);
    expect(written).toContain(`    location /staticext/ {\n        alias ${root}/django/staticext/;\n    }`);
    expect(await fs.readFile(settings, 'utf8')).toContain('CSRF_COOKIE_SECURE = True');
    expect(out).toContain('settings.py: SSL block written');
    expect(out).toContain('manage.py check --deploy still warns:');
    expect(out).toMatch(/security\.W004: Django sends no HSTS header/);
  });
});
