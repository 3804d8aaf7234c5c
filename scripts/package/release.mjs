// The release tarball: catmaid-tui-<version>-linux-<arch>.tar.gz holding one folder with the executable (named
// catmaid-tui, as admins install it), README.md, LICENSE and SHA256SUMS of those three. Its bytes depend only on
// those files: sorted names, root owner, the time of the last commit, gzip without a name or time.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { run } from './sea.mjs';

export const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** `sha256sum`'s format, so that `sha256sum -c SHA256SUMS` checks the files next to it. */
export function writeSums(dir, names) {
  const lines = names.map((name) => `${sha256(path.join(dir, name))}  ${name}\n`);
  fs.writeFileSync(path.join(dir, 'SHA256SUMS'), lines.join(''));
}

export async function releaseTarball({ repo, executable, name, outDir, mtime }) {
  const stage = path.join(outDir, 'release', name);
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  fs.copyFileSync(executable, path.join(stage, 'catmaid-tui'));
  fs.chmodSync(path.join(stage, 'catmaid-tui'), 0o755);
  for (const doc of ['README.md', 'LICENSE']) fs.copyFileSync(path.join(repo, doc), path.join(stage, doc));
  writeSums(stage, ['catmaid-tui', 'README.md', 'LICENSE']);
  const tar = path.join(outDir, 'release', `${name}.tar`);
  run('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', `--mtime=@${mtime}`, '--mode=go-w',
    '-C', path.dirname(stage), '-cf', tar, name]);
  const tarball = path.join(outDir, `${name}.tar.gz`);
  await pipeline(fs.createReadStream(tar), zlib.createGzip({ level: 9 }), fs.createWriteStream(`${tarball}.partial`));
  fs.renameSync(`${tarball}.partial`, tarball);
  fs.rmSync(path.join(outDir, 'release'), { recursive: true, force: true });
  return tarball;
}
