import fs from 'node:fs';
import { oneLine } from '../errors.js';
import { readSettingsSource, readStaticSource, type StaticReading } from '../instance/settings-static.js';
import { runSettingsScript } from '../instance/settings-django.js';
import type { InstanceLayout } from '../instance/types.js';
import type { StaticFolder } from './nginx-config.js';

/** What nginx must know of Django's settings: the subdirectory and the folders it serves itself. */
export interface SiteSettings {
  /** FORCE_SCRIPT_NAME without its trailing slash; '' when CATMAID is at the domain's root or it is unset. */
  scriptName: string;
  /** STATIC_URL → STATIC_ROOT, MEDIA_URL → MEDIA_ROOT, STATIC_EXTENSION_URL → STATIC_EXTENSION_ROOT, where set. */
  folders: StaticFolder[];
  /** `django`: the instance's python imported them; `static`: read from the files' plain assignments. */
  source: 'django' | 'static';
  /** Why Django could not be asked, when the static reader answered. */
  fallbackReason?: string;
}

const NAMES = ['FORCE_SCRIPT_NAME', 'STATIC_URL', 'STATIC_ROOT', 'MEDIA_URL', 'MEDIA_ROOT', 'STATIC_EXTENSION_URL', 'STATIC_EXTENSION_ROOT'] as const;
type Raw = Partial<Record<(typeof NAMES)[number], string | null>>;

// Django (3.1+) puts the script prefix in front of a relative STATIC_URL/MEDIA_URL; outside a request that prefix
// is '/', so it is set from FORCE_SCRIPT_NAME first, as the WSGI handler does.
const SCRIPT = `
import json, os, sys
sys.path.insert(0, os.environ['CATMAID_TUI_PROJECTS'])
os.environ['DJANGO_SETTINGS_MODULE'] = 'mysite.settings'
from django.conf import settings as s
from django.urls import set_script_prefix
script = getattr(s, 'FORCE_SCRIPT_NAME', None)
if script:
    set_script_prefix(script)
def text(name):
    v = getattr(s, name, None)
    return None if v is None else str(v)
print(json.dumps({n: text(n) for n in ${JSON.stringify(NAMES)}}))
`;

const PAIRS: [keyof Raw, keyof Raw][] = [
  ['STATIC_URL', 'STATIC_ROOT'],
  ['MEDIA_URL', 'MEDIA_ROOT'],
  ['STATIC_EXTENSION_URL', 'STATIC_EXTENSION_ROOT'],
];

/** A relative URL is served below the script name, as Django does; a URL with a host (a CDN) needs no location. */
function served(url: string | null | undefined, scriptName: string): string | null {
  if (!url || /^[a-z][a-z0-9+.-]*:\/\//i.test(url) || url.startsWith('//')) return null;
  return url.startsWith('/') ? url : `${scriptName}/${url}`;
}

export function siteSettingsOf(raw: Raw, source: SiteSettings['source'], fallbackReason?: string): SiteSettings {
  const scriptName = (raw.FORCE_SCRIPT_NAME ?? '').replace(/\/+$/, '');
  const folders = PAIRS.flatMap(([u, d]) => {
    const url = served(raw[u], scriptName);
    const dir = raw[d];
    return url && dir ? [{ url, dir, what: `${u}/${d}` }] : [];
  });
  return { scriptName, folders, source, ...(fallbackReason ? { fallbackReason } : {}) };
}

/** The plain assignments of settings_base.py then settings.py (Django cannot be imported: a broken or foreign venv). */
export function readSiteSettingsStatically(layout: InstanceLayout): Raw {
  const reading: StaticReading = { values: {}, unreadable: [] };
  if (layout.settingsBasePy) readStaticSource(fs.readFileSync(layout.settingsBasePy, 'utf8'), reading);
  readSettingsSource(fs.readFileSync(layout.settingsPy, 'utf8'), reading);
  return Object.fromEntries(NAMES.map((n) => [n, typeof reading.values[n] === 'string' ? (reading.values[n] as string) : null]));
}

/** The instance's subdirectory and static folders, from Django, else from the files. */
export async function readSiteSettings(layout: InstanceLayout): Promise<SiteSettings> {
  try {
    return siteSettingsOf((await runSettingsScript(layout, SCRIPT)) as Raw, 'django');
  } catch (err) {
    return siteSettingsOf(readSiteSettingsStatically(layout), 'static', oneLine(err));
  }
}
