import { runSettingsScript } from '../instance/settings-django.js';
import type { InstanceLayout } from '../instance/types.js';

/** What nginx must serve itself: STATIC_URL → STATIC_ROOT and STATIC_EXTENSION_URL → STATIC_EXTENSION_ROOT. */
export interface StaticSettings {
  staticUrl: string | null;
  staticRoot: string | null;
  staticExtensionUrl: string | null;
  staticExtensionRoot: string | null;
}

const SCRIPT = `
import json, os, sys
sys.path.insert(0, os.environ['CATMAID_TUI_PROJECTS'])
os.environ['DJANGO_SETTINGS_MODULE'] = 'mysite.settings'
from django.conf import settings as s
def text(name):
    v = getattr(s, name, None)
    return None if v is None else str(v)
print(json.dumps({k: text(n) for k, n in (('staticUrl', 'STATIC_URL'), ('staticRoot', 'STATIC_ROOT'),
  ('staticExtensionUrl', 'STATIC_EXTENSION_URL'), ('staticExtensionRoot', 'STATIC_EXTENSION_ROOT'))}))
`;

/** The instance's static folders as Django sees them (settings_base and settings.py applied). */
export async function readStaticSettings(layout: InstanceLayout): Promise<StaticSettings> {
  return (await runSettingsScript(layout, SCRIPT)) as StaticSettings;
}
