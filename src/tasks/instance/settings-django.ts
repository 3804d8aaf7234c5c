import { execa } from 'execa';
import type { EffectiveSettings, InstanceLayout } from './types.js';

/**
 * Asks Django itself: the instance's python imports mysite.settings (settings_base and overrides applied) and
 * prints the values as JSON on stdout. django.conf.settings supplies Django's defaults for unset names.
 */
const SCRIPT = `
import json, os, sys
sys.path.insert(0, os.environ['CATMAID_TUI_PROJECTS'])
os.environ['DJANGO_SETTINGS_MODULE'] = 'mysite.settings'
from django.conf import settings as s
db = s.DATABASES.get('default', {})
files = getattr(s, 'STATIC_EXTENSION_FILES', [])
header = s.SECURE_PROXY_SSL_HEADER
def text(v):
    return None if v is None else str(v)
print(json.dumps({
  'database': {k.lower(): text(db.get(k, '')) or '' for k in ('NAME', 'USER', 'PASSWORD', 'HOST', 'PORT')},
  'connMaxAge': db.get('CONN_MAX_AGE', 0),
  'debug': bool(s.DEBUG),
  'allowedHosts': [str(h) for h in s.ALLOWED_HOSTS],
  'staticExtensionUrl': text(getattr(s, 'STATIC_EXTENSION_URL', None)),
  'staticExtensionRoot': text(getattr(s, 'STATIC_EXTENSION_ROOT', None)),
  'staticExtensionFiles': [str(f) for f in files] if isinstance(files, (list, tuple)) else [],
  'staticExtensionFilesIsList': isinstance(files, list),
  'sessionCookieSecure': bool(s.SESSION_COOKIE_SECURE),
  'csrfCookieSecure': bool(s.CSRF_COOKIE_SECURE),
  'secureProxySslHeader': list(header) if header else None,
}))
`;

interface Raw extends Omit<EffectiveSettings, 'database'> {
  database: { name: string; user: string; password: string; host: string; port: string };
}

/**
 * Run a script with the instance's python where `mysite.settings` imports as under manage.py; the script prints
 * one JSON line last. Throws the last line of python's error output when the import fails.
 */
export async function runSettingsScript(layout: InstanceLayout, script: string): Promise<unknown> {
  const result = await execa(layout.python, ['-c', script], {
    cwd: layout.projectsDir,
    env: { CATMAID_TUI_PROJECTS: layout.projectsDir, PYTHONDONTWRITEBYTECODE: '1' },
    reject: false,
    timeout: 20_000,
  });
  if (result.exitCode !== 0 || result.failed) {
    const lines = `${result.stderr}`.trim().split('\n');
    throw new Error(lines.at(-1) || result.shortMessage || 'python failed');
  }
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '');
}

export async function readSettingsFromDjango(layout: InstanceLayout): Promise<EffectiveSettings> {
  const raw = (await runSettingsScript(layout, SCRIPT)) as Raw;
  return {
    ...raw,
    database: { ...raw.database, port: raw.database.port ? Number(raw.database.port) : 5432 },
    connMaxAge: raw.connMaxAge === null ? null : Number(raw.connMaxAge),
    secureProxySslHeader: raw.secureProxySslHeader as [string, string] | null,
  };
}
