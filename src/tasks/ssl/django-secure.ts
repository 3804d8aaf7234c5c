import fs from 'node:fs/promises';
import { createTwoFilesPatch } from 'diff';
import { execa } from 'execa';
import { writeFileAtomic } from '../atomic-write.js';
import { CliError, EXIT, oneLine } from '../errors.js';
import { keepCopy } from '../file-copies.js';
import { readSettingsSource, readStaticSource, type StaticReading } from '../instance/settings-static.js';
import { readSettings } from '../instance/settings.js';
import type { InstanceLayout } from '../instance/types.js';
import { readManagedBlock, restoreContent, withManagedBlock } from '../settings-block.js';
import { deployWarningMeaning } from './deploy-warnings.js';
import { djangoSslLines, httpsOrigin } from './django-settings.js';
import { readDjangoVersion, type DjangoVersion } from './django-version.js';

export const DJANGO_SSL_BLOCK = 'ssl';

export interface DeployWarning {
  id: string;
  message: string;
  meaning: string;
}

export interface DjangoSslPlan {
  version: DjangoVersion | null;
  origin: string;
  allowedHosts: string[];
  hostAllowed: boolean;
  lines: string[];
  notes: string[];
  /** The settings.py diff ('' when the block is there already). */
  diff: string;
}

export interface DjangoSslResult {
  changed: boolean;
  /** Copy of the old settings.py, in catmaid-tui's state folder. */
  copy?: string;
  /** The values as Django sees them after importing the settings again. */
  loaded: {
    sessionCookieSecure: boolean;
    csrfCookieSecure: boolean;
    secureProxySslHeader: string[] | null;
    csrfTrustedOrigins: string[];
    allowedHosts: string[];
  };
  warnings: DeployWarning[];
}

/** Names settings_base.py and settings.py (without catmaid-tui's ssl block) assign. */
function definedNames(base: string | null, settings: string): string[] {
  const reading: StaticReading = { values: {}, unreadable: [] };
  if (base) readStaticSource(base, reading);
  readSettingsSource(withManagedBlock(settings, DJANGO_SSL_BLOCK, null), reading);
  return [...Object.keys(reading.values), ...reading.unreadable];
}

export async function planDjangoSsl(layout: InstanceLayout, options: { serverName: string; httpsPort: number; addAllowedHost: boolean }): Promise<DjangoSslPlan> {
  const before = await fs.readFile(layout.settingsPy, 'utf8');
  const base = layout.settingsBasePy ? await fs.readFile(layout.settingsBasePy, 'utf8') : null;
  const [version, reading] = await Promise.all([readDjangoVersion(layout), readSettings(layout)]);
  // The effective hosts without this block: what the admin's own settings allow.
  const own = readManagedBlock(before, DJANGO_SSL_BLOCK)?.some((l) => l.startsWith('ALLOWED_HOSTS')) ? [] : reading.settings.allowedHosts;
  const origin = httpsOrigin(options.serverName, options.httpsPort);
  const out = djangoSslLines({ ...options, origin, version, allowedHosts: own, defined: definedNames(base, before) });
  const after = withManagedBlock(before, DJANGO_SSL_BLOCK, out.lines);
  const diff = after === before ? '' : createTwoFilesPatch(layout.settingsPy, layout.settingsPy, before, after, 'current', 'new');
  return { version, origin, allowedHosts: own, hostAllowed: out.hostAllowed, lines: out.lines, notes: out.notes, diff };
}

const IMPORT = `
import json, os, sys
sys.path.insert(0, os.environ['CATMAID_TUI_PROJECTS'])
os.environ['DJANGO_SETTINGS_MODULE'] = 'mysite.settings'
from django.conf import settings as s
h = s.SECURE_PROXY_SSL_HEADER
print(json.dumps({'sessionCookieSecure': bool(s.SESSION_COOKIE_SECURE), 'csrfCookieSecure': bool(s.CSRF_COOKIE_SECURE),
  'secureProxySslHeader': list(h) if h else None, 'csrfTrustedOrigins': [str(o) for o in s.CSRF_TRUSTED_ORIGINS],
  'allowedHosts': [str(a) for a in s.ALLOWED_HOSTS]}))
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
 * Put the block into settings.py (atomically; the old file is copied to catmaid-tui's state folder), prove the
 * settings still import (else the old file comes back), then list what `manage.py check --deploy` still finds.
 */
export async function applyDjangoSsl(layout: InstanceLayout, plan: DjangoSslPlan): Promise<DjangoSslResult> {
  const before = await fs.readFile(layout.settingsPy, 'utf8');
  const after = withManagedBlock(before, DJANGO_SSL_BLOCK, plan.lines);
  let copy: string | undefined;
  if (after !== before) {
    copy = await keepCopy(layout.settingsPy, layout.root);
    await writeFileAtomic(layout.settingsPy, after);
  }
  const imported = await execa(layout.python, ['-c', IMPORT], pythonEnv(layout));
  if (imported.exitCode !== 0) {
    if (after !== before) await restoreContent(layout.settingsPy, before);
    const last = `${imported.all ?? ''}`.trim().split('\n').at(-1) ?? '';
    throw new CliError('settings.py does not import with the SSL block; it was put back as it was', EXIT.failed, oneLine(last));
  }
  const loaded = JSON.parse(`${imported.stdout}`.trim().split('\n').at(-1) ?? '{}') as DjangoSslResult['loaded'];
  const check = await execa(layout.python, [layout.managePy, 'check', '--deploy'], pythonEnv(layout));
  if (check.exitCode !== 0 && !/System check identified/.test(check.all ?? '')) {
    throw new CliError('manage.py check --deploy failed', EXIT.failed, oneLine(`${check.all ?? ''}`.trim().split('\n').at(-1) ?? ''));
  }
  return { changed: after !== before, copy, loaded, warnings: parseDeployWarnings(check.all ?? '') };
}
