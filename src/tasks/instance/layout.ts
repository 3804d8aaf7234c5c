import fs from 'node:fs';
import path from 'node:path';
import { CliError, EXIT } from '../errors.js';
import type { InstanceLayout } from './types.js';

/**
 * Where things are in a CATMAID checkout. Current releases have `django/projects/manage.py`; older ones
 * `django/projects/mysite/manage.py`. The instance's virtualenv python wins over the system's.
 */
export function readLayout(root: string): InstanceLayout {
  const djangoDir = path.join(root, 'django');
  const projectsDir = path.join(djangoDir, 'projects');
  const managePy = [path.join(projectsDir, 'manage.py'), path.join(projectsDir, 'mysite', 'manage.py')].find((f) =>
    fs.existsSync(f),
  );
  if (!managePy) {
    throw new CliError(
      `${root}: no manage.py in django/projects or django/projects/mysite`,
      EXIT.usage,
      'is this a CATMAID checkout?',
    );
  }
  const mysite = path.join(projectsDir, 'mysite');
  const settingsBase = path.join(mysite, 'settings_base.py');
  const venvPython = path.join(djangoDir, 'env', 'bin', 'python');
  const virtualenv = fs.existsSync(venvPython);
  return {
    root,
    djangoDir,
    projectsDir,
    managePy,
    settingsPy: path.join(mysite, 'settings.py'),
    settingsBasePy: fs.existsSync(settingsBase) ? settingsBase : null,
    python: virtualenv ? venvPython : 'python3',
    virtualenv,
  };
}
