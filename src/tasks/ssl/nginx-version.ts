import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { CliError, EXIT } from '../errors.js';

/** How to call nginx: the binary and the arguments that pick its configuration (`-c`, `-p`, `-e`). */
export interface NginxCommand {
  binary: string;
  /** Empty for the system's own configuration; a private one in tests or on unusual installs. */
  configArgs: string[];
}

export interface NginxVersion {
  text: string;
  major: number;
  minor: number;
  patch: number;
}

/** The version nginx switched `http2` from a `listen` parameter to its own directive. */
export const HTTP2_DIRECTIVE_SINCE: NginxVersion = { text: '1.25.1', major: 1, minor: 25, patch: 1 };

// sbin folders are often missing from an ordinary user's PATH, where Debian puts nginx.
const SBIN = ['/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin', '/sbin'];

/** A program on PATH, else in the usual sbin folders; undefined when there is none. */
export function findProgram(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = [...(env.PATH ?? '').split(path.delimiter).filter(Boolean), ...SBIN];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; try the next folder
    }
  }
  return undefined;
}

/** The nginx binary: on PATH, else in the usual sbin folders; undefined when there is none. */
export const findNginx = (env: NodeJS.ProcessEnv = process.env): string | undefined => findProgram('nginx', env);

/** The nginx to use, or an error saying how to get one. */
export function requireNginx(configArgs: string[] = []): NginxCommand {
  const binary = findNginx();
  if (!binary) {
    throw new CliError('nginx not found (not on PATH, nor in /usr/sbin)', EXIT.failed, 'install it: apt install nginx');
  }
  return { binary, configArgs };
}

/** Parse what `nginx -v` prints (on stderr): `nginx version: nginx/1.22.1 (Ubuntu)`, also openresty and others. */
export function parseNginxVersion(text: string): NginxVersion | undefined {
  const match = /version:\s*\S*?\/(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (!match) return undefined;
  const [major, minor, patch] = match.slice(1, 4).map(Number);
  return { text: `${major}.${minor}.${patch}`, major, minor, patch };
}

export function compareVersions(a: NginxVersion, b: NginxVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** `directive`: `http2 on;` (1.25.1 and later); `listen`: `listen 443 ssl http2;` (before). */
export function http2Style(version: NginxVersion): 'directive' | 'listen' {
  return compareVersions(version, HTTP2_DIRECTIVE_SINCE) >= 0 ? 'directive' : 'listen';
}

export function versionFromText(text: string): NginxVersion {
  const version = parseNginxVersion(`version: x/${text}`);
  if (!version) throw new CliError(`not an nginx version: ${text}`, EXIT.usage, 'write it as 1.22.1');
  return version;
}

/** Ask the installed nginx for its version. */
export async function nginxVersion(nginx: NginxCommand): Promise<NginxVersion> {
  const result = await execa(nginx.binary, ['-v'], { reject: false, all: true });
  const version = parseNginxVersion(result.all ?? '');
  if (!version) {
    throw new CliError(`${nginx.binary} -v: no version in its output`, EXIT.failed, (result.all ?? '').trim());
  }
  return version;
}
