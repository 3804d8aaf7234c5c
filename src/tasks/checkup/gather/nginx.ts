import { execa } from 'execa';
import { oneLine } from '../../errors.js';
import { splitDump } from '../../ssl/nginx-parse.js';
import { findNginx, parseNginxVersion } from '../../ssl/nginx-version.js';
import type { NginxFacts } from '../types.js';

/** The running configuration as `nginx -T` prints it (every included file), and nginx's version. */
export async function readNginx(configArgs: string[] = [], binary = findNginx()): Promise<NginxFacts> {
  if (!binary) return { installed: false, ok: false, files: [] };
  const [dump, version] = await Promise.all([
    execa(binary, [...configArgs, '-T'], { reject: false, timeout: 5000 }),
    execa(binary, ['-v'], { reject: false, all: true, timeout: 5000 }),
  ]);
  const parsed = parseNginxVersion(version.all ?? '');
  if (dump.exitCode !== 0) {
    const lines = `${dump.stderr}`.trim().split('\n');
    return { installed: true, ok: false, error: oneLine(lines.at(-1) || dump.shortMessage || 'nginx -T failed'), version: parsed?.text, files: [] };
  }
  return { installed: true, ok: true, version: parsed?.text, files: splitDump(`${dump.stdout}`) };
}
