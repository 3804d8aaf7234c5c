import path from 'node:path';
import type { InstanceLayout } from '../instance/types.js';

/**
 * pip only ever installs into the instance's virtualenv (`django/env`): without one, `python3 -m pip install`
 * would change the system's Python under every other program of the host. `--system-python` is the admin saying
 * that this instance really runs on the system's Python.
 */
export function pipRefusal(layout: InstanceLayout, systemPython: boolean): { title: string; hint: string } | null {
  if (layout.virtualenv || systemPython) return null;
  const env = path.join(layout.djangoDir, 'env');
  return {
    title: `no virtualenv at ${env}: pip would install into the system's Python`,
    hint: `make one: python3 -m venv ${env} && ${env}/bin/python -m pip install -r ${path.join(layout.djangoDir, 'requirements.txt')} (or pass --system-python)`,
  };
}
