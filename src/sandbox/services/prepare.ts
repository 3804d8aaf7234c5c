import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../tasks/atomic-write.js';
import { CliError, UsageError } from '../../tasks/errors.js';
import { ensurePrivateDir } from '../../tasks/instance/identity.js';
import { checkoutPaths, managePy } from '../checkout.js';
import { isRoot } from '../owner.js';
import { groupConf, supervisordConf, uwsgiIni, type ServicesConfig } from './config-files.js';
import { findExecutable, uwsgiPythonPlugin } from './executables.js';
import { servicesLayout } from './layout.js';
import { MAINTENANCE_HTML, nginxConf, siteConf } from './nginx-files.js';
import { nginxBinary, preparePrefix } from './nginx.js';

/**
 * Paths end up unquoted in supervisord commands, uWSGI's ini and nginx's configuration, each with its own
 * special characters (`%`, `;`, `:`, spaces): the services accept only plain ones.
 */
export function assertPlainPath(dir: string): void {
  if (!/^[A-Za-z0-9_@+,./-]+$/.test(dir)) {
    throw new UsageError(`the sandbox's services need a folder path of letters, digits and . _ - / @ + only: ${JSON.stringify(dir)}`,
      'pick another DIR');
  }
}

/** `3.11` from the virtualenv's pyvenv.cfg (`version = 3.11.2`, or `version_info` on newer pythons). */
export function venvPythonVersion(venv: string): string {
  const cfg = fs.readFileSync(path.join(venv, 'pyvenv.cfg'), 'utf8');
  const match = /^version(?:_info)?\s*=\s*(\d+)\.(\d+)/m.exec(cfg);
  if (!match) throw new CliError(`${venv}/pyvenv.cfg names no python version`);
  return `${match[1]}.${match[2]}`;
}

export function servicesConfig(dir: string, root: string, port: number): ServicesConfig {
  assertPlainPath(dir);
  const venv = checkoutPaths(root).venv;
  return {
    layout: servicesLayout(dir),
    root,
    venv,
    uwsgiBinary: findExecutable('uwsgi', 'uwsgi'),
    uwsgiPlugin: uwsgiPythonPlugin(venvPythonVersion(venv)),
    port,
    nginxUser: isRoot() ? 'root' : undefined,
  };
}

/** Entry scripts as pip installs them from CATMAID's requirements (`django/env/bin/daphne`, `…/celery`). */
const CONSOLE_SCRIPTS: Record<string, [string, string]> = {
  daphne: ['daphne.cli', 'CommandLineInterface.entrypoint'],
  celery: ['celery.__main__', 'main'],
};

async function writeConsoleScripts(venv: string): Promise<void> {
  for (const [name, [module, callable]] of Object.entries(CONSOLE_SCRIPTS)) {
    const file = path.join(venv, 'bin', name);
    if (fs.existsSync(file)) continue;
    const [head] = callable.split('.');
    await fs.promises.writeFile(file, [
      `#!${path.join(venv, 'bin', 'python')}`,
      'import re',
      'import sys',
      `from ${module} import ${head}`,
      "if __name__ == '__main__':",
      "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])",
      `    sys.exit(${callable}())`,
      '',
    ].join('\n'), { mode: 0o755 });
  }
}

/** django.wsgi from its example, as django/create_configuration.py writes it; git ignores it. */
async function writeDjangoWsgi(root: string): Promise<void> {
  const mysite = path.join(root, 'django', 'projects', 'mysite');
  const target = path.join(mysite, 'django.wsgi');
  if (!fs.existsSync(target)) await fs.promises.copyFile(path.join(mysite, 'django.wsgi.example'), target);
}

/** Static files collected into STATIC_ROOT (copies, so that a copied sandbox keeps working), once. */
async function collectStatic(root: string): Promise<void> {
  if (fs.existsSync(path.join(root, 'django', 'static'))) return;
  const result = await managePy(root, ['collectstatic', '--noinput']);
  if (result.exitCode !== 0) throw new CliError(`manage.py collectstatic failed: ${(result.stderr || result.stdout).trim()}`);
}

/**
 * What a real checkout has once an admin followed the installation manual: the virtualenv's entry scripts,
 * django.wsgi and the collected static files. Done once; the sandbox's template does it ahead of its copies.
 */
export async function prepareCheckout(root: string): Promise<void> {
  await writeConsoleScripts(checkoutPaths(root).venv);
  await writeDjangoWsgi(root);
  await collectStatic(root);
}

async function writeIfMissing(file: string, content: string): Promise<void> {
  if (!fs.existsSync(file)) await writeFileAtomic(file, content, { mode: 0o644 });
}

/**
 * Everything the services need, written before they start. The configuration files are ours and rewritten
 * each time; the nginx site and the maintenance page are written once, since other tools (the SSL setup)
 * change them as an admin would.
 */
export async function prepareServices(c: ServicesConfig): Promise<void> {
  const { layout } = c;
  for (const folder of [layout.base, layout.log, layout.celeryDir, layout.broker, path.dirname(layout.groupConf),
    path.dirname(layout.uwsgiIni), path.dirname(layout.maintenancePage)]) {
    await fs.promises.mkdir(folder, { recursive: true });
  }
  for (const folder of ['messages', 'control', 'results']) await fs.promises.mkdir(path.join(layout.broker, folder), { recursive: true });
  ensurePrivateDir(layout.run);
  const nginx = nginxBinary();
  await preparePrefix(layout, nginx);
  await prepareCheckout(c.root);
  await writeFileAtomic(layout.supervisorConf, supervisordConf(c), { mode: 0o644 });
  await writeFileAtomic(layout.groupConf, groupConf(c), { mode: 0o644 });
  await writeFileAtomic(layout.uwsgiIni, uwsgiIni(c), { mode: 0o644 });
  await writeFileAtomic(layout.nginxConf, nginxConf(c), { mode: 0o644 });
  await writeIfMissing(layout.siteFile, siteConf(c));
  await writeIfMissing(layout.maintenancePage, MAINTENANCE_HTML);
}

/** Point the nginx site at another port (a copied sandbox, or the port taken meanwhile). */
export async function setSitePort(siteFile: string, from: number, to: number): Promise<void> {
  const text = await fs.promises.readFile(siteFile, 'utf8');
  await writeFileAtomic(siteFile, text.replaceAll(`listen 127.0.0.1:${from};`, `listen 127.0.0.1:${to};`), { mode: 0o644 });
}
