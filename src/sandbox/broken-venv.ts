import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { CliError } from '../tasks/errors.js';
import { checkoutPaths } from './checkout.js';

/**
 * Where Django, psycopg2 and Django's own requirements live, asked of the virtualenv's python while it still
 * sees the system's packages: one folder (or file) per top-level module. Debian's Django states no
 * requirements in its metadata, so the ones Django 3.2 and 4.2 import are named too, where installed.
 */
const LOCATE = `
import importlib, importlib.metadata, json, os, re
names = ['django', 'psycopg2', 'asgiref', 'sqlparse', 'pytz']
for req in importlib.metadata.requires('Django') or []:
    if 'extra ==' not in req:
        names.append(re.split(r'[^A-Za-z0-9_.-]', req, 1)[0].lower().replace('-', '_'))
out = {}
for name in dict.fromkeys(names):
    try:
        module = importlib.import_module(name)
    except ImportError:
        continue
    out[name] = os.path.dirname(module.__file__) if hasattr(module, '__path__') else module.__file__
print(json.dumps(out))
`;

/**
 * Turn the checkout's virtualenv into a half-installed one, as admins meet them: Django and psycopg2 are
 * there, everything else CATMAID's settings import (celery first of all) is not. It stops seeing the
 * system's site packages and gets links to just those modules, so importing the settings fails for real.
 */
export async function breakVirtualenv(root: string): Promise<string[]> {
  const paths = checkoutPaths(root);
  const located = await execa(paths.python, ['-c', LOCATE], { reject: false });
  if (located.exitCode !== 0) throw new CliError(`could not find Django in the virtualenv: ${located.stderr}`);
  const modules = JSON.parse(located.stdout) as Record<string, string>;
  const version = await execa(paths.python, ['-c', 'import sys; print("python%d.%d" % sys.version_info[:2])']);
  const sitePackages = path.join(paths.venv, 'lib', version.stdout.trim(), 'site-packages');
  await fs.promises.mkdir(sitePackages, { recursive: true });
  for (const location of Object.values(modules)) {
    await fs.promises.symlink(location, path.join(sitePackages, path.basename(location)));
  }
  const cfg = path.join(paths.venv, 'pyvenv.cfg');
  const text = await fs.promises.readFile(cfg, 'utf8');
  await fs.promises.writeFile(cfg, text.replace(/^include-system-site-packages\s*=.*$/m, 'include-system-site-packages = false'));
  return Object.keys(modules);
}
