import fs from 'node:fs/promises';
import { createTwoFilesPatch } from 'diff';
import { execa } from 'execa';
import { CliError, EXIT, oneLine } from '../errors.js';
import type { InstanceLayout } from '../instance/types.js';
import { applyManagedBlock, restoreContent, withManagedBlock } from '../settings-block.js';
import { deployWarningMeaning } from './deploy-warnings.js';

export const DJANGO_SSL_BLOCK = 'ssl';

/** What Django needs behind an https proxy that sets X-Forwarded-Proto itself (never the client's value). */
export const DJANGO_SSL_LINES = [
  'SESSION_COOKIE_SECURE = True',
  'CSRF_COOKIE_SECURE = True',
  "SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')",
];

export interface DeployWarning {
  id: string;
  message: string;
  meaning: string;
}

export interface DjangoSslResult {
  changed: boolean;
  backup?: string;
  /** The three values as Django sees them after importing the settings again. */
  loaded: { sessionCookieSecure: boolean; csrfCookieSecure: boolean; secureProxySslHeader: string[] | null };
  warnings: DeployWarning[];
}

/** The diff settings.py would get, for a dry run. */
export async function previewDjangoSsl(layout: InstanceLayout): Promise<string> {
  const before = await fs.readFile(layout.settingsPy, 'utf8');
  const after = withManagedBlock(before, DJANGO_SSL_BLOCK, DJANGO_SSL_LINES);
  return after === before ? '' : createTwoFilesPatch(layout.settingsPy, layout.settingsPy, before, after, 'current', 'new');
}

const IMPORT = `
import json, os, sys
sys.path.insert(0, os.environ['CATMAID_TUI_PROJECTS'])
os.environ['DJANGO_SETTINGS_MODULE'] = 'mysite.settings'
from django.conf import settings as s
h = s.SECURE_PROXY_SSL_HEADER
print(json.dumps({'sessionCookieSecure': bool(s.SESSION_COOKIE_SECURE), 'csrfCookieSecure': bool(s.CSRF_COOKIE_SECURE),
  'secureProxySslHeader': list(h) if h else None}))
`;

function pythonEnv(layout: InstanceLayout) {
  return {
    cwd: layout.projectsDir,
    env: { CATMAID_TUI_PROJECTS: layout.projectsDir, PYTHONDONTWRITEBYTECODE: '1' },
    reject: false,
    timeout: 120_000,
    all: true,
  } as const;
}

/** `manage.py check --deploy` lines like `?: (security.W004) You have not set …`. */
export function parseDeployWarnings(output: string): DeployWarning[] {
  return [...output.matchAll(/^\S*: \(([\w.]+)\) (.+)$/gm)].map((m) => ({
    id: m[1],
    message: m[2].trim(),
    meaning: deployWarningMeaning(m[1]),
  }));
}

/**
 * Put the block into settings.py (atomically, with a backup), prove the settings still import (else the old
 * file comes back), then list what `manage.py check --deploy` still finds.
 */
export async function applyDjangoSsl(layout: InstanceLayout): Promise<DjangoSslResult> {
  const change = await applyManagedBlock(layout.settingsPy, DJANGO_SSL_BLOCK, DJANGO_SSL_LINES);
  const imported = await execa(layout.python, ['-c', IMPORT], pythonEnv(layout));
  if (imported.exitCode !== 0) {
    if (change.changed) await restoreContent(layout.settingsPy, change.before);
    const last = `${imported.all ?? ''}`.trim().split('\n').at(-1) ?? '';
    throw new CliError(`settings.py does not import with the SSL block; it was put back as it was`, EXIT.failed, oneLine(last));
  }
  const loaded = JSON.parse(`${imported.stdout}`.trim().split('\n').at(-1) ?? '{}') as DjangoSslResult['loaded'];
  const check = await execa(layout.python, [layout.managePy, 'check', '--deploy'], pythonEnv(layout));
  if (check.exitCode !== 0 && !/System check identified/.test(check.all ?? '')) {
    throw new CliError('manage.py check --deploy failed', EXIT.failed, oneLine(`${check.all ?? ''}`.trim().split('\n').at(-1) ?? ''));
  }
  return { changed: change.changed, backup: change.backup, loaded, warnings: parseDeployWarnings(check.all ?? '') };
}
