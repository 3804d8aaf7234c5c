// The sandbox's template files (python, Django app, migrations, anything under src/sandbox/template) as assets of
// the executable, read back by src/sandbox/template-dir.ts. The walk is listFiles() of that module: every file,
// without __pycache__, sorted; test/e2e/executable.test.ts checks that the written-out copy equals the folder.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const TEMPLATE_MANIFEST = 'sandbox-template.json';
export const TEMPLATE_ASSET_PREFIX = 'sandbox-template/';

function listFiles(dir, rel = '') {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true })
    .filter((entry) => entry.name !== '__pycache__')
    .flatMap((entry) => {
      const child = rel ? path.join(rel, entry.name) : entry.name;
      return entry.isDirectory() ? listFiles(dir, child) : [child];
    });
}

/** sea-config `assets` for every template file, plus the manifest (written into `stage`). */
export function templateAssets(templateDir, stage) {
  const hash = crypto.createHash('sha256');
  const files = listFiles(templateDir).sort().map((rel) => {
    const file = path.join(templateDir, rel);
    const mode = fs.statSync(file).mode & 0o777 & ~0o022;
    hash.update(rel).update('\0').update(String(mode)).update('\0').update(fs.readFileSync(file));
    return { path: rel, mode, file };
  });
  const manifest = path.join(stage, TEMPLATE_MANIFEST);
  const entries = files.map(({ path: rel, mode }) => ({ path: rel, mode }));
  fs.writeFileSync(manifest, JSON.stringify({ hash: hash.digest('hex').slice(0, 16), files: entries }));
  return {
    [TEMPLATE_MANIFEST]: manifest,
    ...Object.fromEntries(files.map(({ path: rel, file }) => [TEMPLATE_ASSET_PREFIX + rel, file])),
  };
}
