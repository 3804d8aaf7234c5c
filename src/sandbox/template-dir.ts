import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding the sandbox's python/Django files. They are read from disk, not bundled: from the sources
 * (src/sandbox/template next to this file) or from the bundle (dist/cli.js → ../src/sandbox/template).
 */
export function templateDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'template'), path.join(here, '..', 'src', 'sandbox', 'template')];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'repo', 'django', 'projects', 'manage.py')));
  if (!found) throw new Error(`the sandbox template files are missing (looked in ${candidates.join(', ')})`);
  return found;
}

/** Every file under `dir`, as paths relative to it, sorted (so hashes and commits are deterministic). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? path.join(rel, entry.name) : entry.name;
      if (entry.name === '__pycache__') continue;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk('');
  return out.sort();
}
