import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { writeFileAtomic } from '../atomic-write.js';
import { CliError, EXIT } from '../errors.js';
import { keepCopy } from '../file-copies.js';
import type { NginxCommand } from './nginx-version.js';

export interface SiteWrite {
  /** The file written (the target of a symlink such as sites-enabled/catmaid). */
  file: string;
  /** The copy of the old file, in catmaid-tui's state folder (never next to it: sites-enabled/* is loaded). */
  copy?: string;
  created: boolean;
  /** What `nginx -t` said. */
  test: string;
}

export async function nginxTest(nginx: NginxCommand): Promise<{ ok: boolean; output: string }> {
  const result = await execa(nginx.binary, [...nginx.configArgs, '-t'], { reject: false, all: true });
  return { ok: result.exitCode === 0, output: (result.all ?? '').trim() };
}

/**
 * Write the site file atomically, keeping a copy of the old one, then let nginx test the whole configuration.
 * If the test fails the old file is put back byte for byte (or the new one removed) and the error is thrown.
 */
export async function installSiteFile(nginx: NginxCommand, file: string, content: string, root?: string | null): Promise<SiteWrite> {
  const target = await fs.realpath(file).catch(() => path.resolve(file));
  const old = await fs.readFile(target).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  const copy = old === null ? undefined : await keepCopy(target, root);
  await writeFileAtomic(target, content, old === null ? { mode: 0o644 } : {});
  const test = await nginxTest(nginx);
  if (test.ok) return { file: target, copy, created: old === null, test: test.output };
  await putBack(target, old);
  const reason = test.output.split('\n').find((l) => /\[emerg\]|\[crit\]|failed/.test(l)) ?? test.output;
  throw new CliError(
    `nginx -t rejected the new configuration; ${old === null ? 'the new file was removed' : 'the old site file was put back'}`,
    EXIT.failed,
    reason,
  );
}

/** The file as it was before: its old bytes, or gone when it was new. */
export async function putBack(target: string, old: Buffer | null): Promise<void> {
  if (old !== null) await writeFileAtomic(target, old);
  else await fs.rm(target, { force: true });
}
