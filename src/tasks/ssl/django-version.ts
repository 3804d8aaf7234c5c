import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import type { InstanceLayout } from '../instance/types.js';

/**
 * The Django the instance runs: asked from its python, else read from the virtualenv's installed package, else
 * from the pin in requirements.txt. Settings differ by version (CSRF_TRUSTED_ORIGINS needs a scheme from 4.0).
 */
export interface DjangoVersion {
  major: number;
  minor: number;
  text: string;
  source: 'python' | 'virtualenv' | 'requirements';
}

function parse(text: string, source: DjangoVersion['source']): DjangoVersion | null {
  const m = /(\d+)\.(\d+)(?:\.\d+)?/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]), text: m[0], source } : null;
}

function fromVirtualenv(layout: InstanceLayout): DjangoVersion | null {
  const lib = path.join(layout.djangoDir, 'env', 'lib');
  try {
    for (const py of fs.readdirSync(lib)) {
      const site = path.join(lib, py, 'site-packages');
      const dist = fs.readdirSync(site).find((f) => /^django-\d[\w.]*\.dist-info$/i.test(f));
      if (dist) return parse(dist, 'virtualenv');
    }
  } catch {
    // no virtualenv folder: try the requirements
  }
  return null;
}

/** `Django==3.2.25`, `django>=3.2,<4.0`, `Django~=4.2.0`: the version the pin names first. */
export function fromRequirements(text: string): DjangoVersion | null {
  const line = text.split('\n').find((l) => /^\s*django\s*[=~<>!]/i.test(l));
  return line ? parse(line.replace(/^\s*django/i, ''), 'requirements') : null;
}

export async function readDjangoVersion(layout: InstanceLayout): Promise<DjangoVersion | null> {
  const asked = await execa(layout.python, ['-c', 'import django; print(django.get_version())'], {
    cwd: layout.projectsDir,
    reject: false,
    timeout: 20_000,
  });
  if (asked.exitCode === 0) {
    const v = parse(`${asked.stdout}`, 'python');
    if (v) return v;
  }
  const venv = fromVirtualenv(layout);
  if (venv) return venv;
  try {
    return fromRequirements(fs.readFileSync(path.join(layout.djangoDir, 'requirements.txt'), 'utf8'));
  } catch {
    return null;
  }
}
