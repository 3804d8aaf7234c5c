import { execa } from 'execa';
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
  const result = await execa(layout.python, ['-c', SCRIPT], {
    cwd: layout.projectsDir,
    env: { CATMAID_TUI_PROJECTS: layout.projectsDir, PYTHONDONTWRITEBYTECODE: '1' },
    reject: false,
    timeout: 20_000,
  });
  if (result.exitCode !== 0 || result.failed) {
    throw new Error(`${result.stderr}`.trim().split('\n').at(-1) || result.shortMessage || 'python failed');
  }
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as StaticSettings;
}
