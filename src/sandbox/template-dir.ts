import fs from 'node:fs';
import path from 'node:path';
import sea from 'node:sea';
import { fileURLToPath } from 'node:url';
import { defaultSandboxDir } from '../tasks/paths.js';

/**
 * The folder holding the sandbox's python/Django files (everything under src/sandbox/template). From the sources
 * or the bundle they are read where they are: src/sandbox/template next to this file, or dist/cli.js →
 * ../src/sandbox/template. The single executable carries them as assets (scripts/package/assets.mjs puts every
 * file there, with its mode, under TEMPLATE_ASSET_PREFIX plus a manifest) and writes them out once per build.
 */
export function templateDir(): string {
  return sea.isSea() ? writtenOutTemplate() : templateOnDisk();
}

/** Asset names inside the single executable; scripts/package/assets.mjs writes them. */
export const TEMPLATE_MANIFEST = 'sandbox-template.json';
export const TEMPLATE_ASSET_PREFIX = 'sandbox-template/';

export interface TemplateManifest {
  /** sha256 over the files' paths, modes and contents: one folder per distinct template. */
  hash: string;
  files: { path: string; mode: number }[];
}

function templateOnDisk(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'template'), path.join(here, '..', 'src', 'sandbox', 'template')];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'repo', 'django', 'projects', 'manage.py')));
  if (!found) throw new Error(`the sandbox template files are missing (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * Next to the default sandbox (as root /var/lib/catmaid-tui, which the cluster's postgres user can enter), in a
 * folder named by the template's hash: written to a temporary folder and renamed, so a run killed half-way or two
 * runs at once never leave a partial template behind. Folders of other builds are removed.
 */
function writtenOutTemplate(): string {
  const manifest = JSON.parse(sea.getAsset(TEMPLATE_MANIFEST, 'utf8')) as TemplateManifest;
  const base = path.join(path.dirname(defaultSandboxDir()), 'sandbox-templates');
  const target = path.join(base, manifest.hash);
  if (isOwnDirectory(target)) return target;
  fs.mkdirSync(base, { recursive: true, mode: 0o755 });
  const work = fs.mkdtempSync(path.join(base, '.partial-'));
  try {
    for (const file of manifest.files) {
      const to = path.join(work, file.path);
      fs.mkdirSync(path.dirname(to), { recursive: true, mode: 0o755 });
      fs.writeFileSync(to, new Uint8Array(sea.getAsset(TEMPLATE_ASSET_PREFIX + file.path)), { mode: file.mode, flag: 'wx' });
    }
    fs.chmodSync(work, 0o755);
    fs.renameSync(work, target);
  } catch (err) {
    fs.rmSync(work, { recursive: true, force: true });
    // Another run renamed its copy first: use that one.
    if (!isOwnDirectory(target)) throw err;
  }
  removeOtherTemplates(base, manifest.hash);
  return target;
}

/** A real folder of this user (not a symlink planted by someone else). */
function isOwnDirectory(dir: string): boolean {
  const stat = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (!stat) return false;
  if (!stat.isDirectory() || stat.uid !== process.getuid?.()) {
    throw new Error(`${dir} is not a folder of this user: remove it and run again`);
  }
  return true;
}

function removeOtherTemplates(base: string, keep: string): void {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of fs.readdirSync(base)) {
    const dir = path.join(base, name);
    // A partial folder may belong to a run still writing it; one older than an hour was left by a killed run.
    const stale = !name.startsWith('.partial-') || fs.statSync(dir).mtimeMs < hourAgo;
    if (name !== keep && stale) fs.rmSync(dir, { recursive: true, force: true });
  }
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
