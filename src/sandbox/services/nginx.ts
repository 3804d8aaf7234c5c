import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { CliError } from '../../tasks/errors.js';
import { compareVersions, findNginx, nginxVersion, versionFromText } from '../../tasks/ssl/nginx-version.js';
import { pidFromFile, waitGone } from './processes.js';
import type { ServicesLayout } from './layout.js';

export function nginxBinary(): string {
  const binary = findNginx();
  if (!binary) throw new CliError('nginx is not installed (the sandbox serves CATMAID through it)', undefined, 'apt-get install nginx');
  return binary;
}

/** The folder of the installed nginx's own configuration (`nginx -V`: --conf-path), for uwsgi_params and mime.types. */
async function nginxConfDir(binary: string): Promise<string> {
  const result = await execa(binary, ['-V'], { reject: false, all: true });
  const confPath = /--conf-path=(\S+)/.exec(result.all ?? '')?.[1];
  return path.dirname(confPath ?? '/etc/nginx/nginx.conf');
}

/** The private prefix: logs/ and tmp/ folders, and copies of the installed uwsgi_params and mime.types. */
export async function preparePrefix(layout: ServicesLayout, binary: string): Promise<void> {
  const prefix = layout.nginxPrefix;
  for (const dir of ['logs', 'tmp', path.dirname(path.relative(prefix, layout.siteFile))]) {
    await fs.promises.mkdir(path.join(prefix, dir), { recursive: true });
  }
  const from = await nginxConfDir(binary);
  for (const name of ['uwsgi_params', 'mime.types']) {
    const target = path.join(prefix, name);
    if (fs.existsSync(target)) continue;
    try {
      await fs.promises.copyFile(path.join(from, name), target);
    } catch {
      throw new CliError(`nginx's ${name} is missing in ${from}`, undefined, 'reinstall nginx (apt-get install --reinstall nginx-common)');
    }
  }
}

/** The master's pid, when its pid file names a live nginx started with this configuration. */
export function nginxPid(layout: ServicesLayout): number | null {
  return pidFromFile(layout.nginxPid, ['nginx', layout.nginxConf]);
}

export async function nginxArgs(layout: ServicesLayout, binary: string): Promise<string[]> {
  const args = ['-c', layout.nginxConf, '-p', `${layout.nginxPrefix}/`];
  // Without -e (nginx 1.19.5 and later) nginx first opens its compiled-in error log, which may not be ours to write.
  const version = await nginxVersion({ binary, configArgs: [] });
  if (compareVersions(version, versionFromText('1.19.5')) >= 0) args.push('-e', path.join(layout.nginxPrefix, 'logs', 'error.log'));
  return args;
}

export type NginxStart = { started: true; pid: number } | { started: false; portInUse: boolean; message: string };

/** Start the private nginx (it daemonizes); tells apart a port taken meanwhile from other failures. */
export async function startNginx(layout: ServicesLayout, binary: string, env: Record<string, string>): Promise<NginxStart> {
  await fs.promises.rm(layout.nginxPid, { force: true });
  const args = await nginxArgs(layout, binary);
  const result = await execa(binary, args, { reject: false, env, extendEnv: false, cwd: layout.nginxPrefix, all: true });
  const message = (result.all ?? '').trim();
  if (result.exitCode !== 0) return { started: false, portInUse: /Address already in use/.test(message), message };
  const deadline = Date.now() + 5000;
  for (;;) {
    const pid = nginxPid(layout);
    if (pid !== null) return { started: true, pid };
    if (Date.now() > deadline) return { started: false, portInUse: false, message: message || 'no pid file after start' };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Graceful stop (SIGQUIT lets requests finish), then SIGTERM, then SIGKILL. */
export async function stopNginx(layout: ServicesLayout): Promise<void> {
  const pid = nginxPid(layout);
  if (pid === null) return;
  for (const [sig, ms] of [['SIGQUIT', 5000], ['SIGTERM', 3000], ['SIGKILL', 2000]] as const) {
    try {
      process.kill(pid, sig);
    } catch {
      return;
    }
    if (await waitGone([pid], ms)) return;
  }
}
