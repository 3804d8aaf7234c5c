import fs from 'node:fs';
import { execa } from 'execa';
import { CliError, EXIT, oneLine } from '../errors.js';
import type { NginxCommand } from './nginx-version.js';

/**
 * New certificate files need a restart of nginx, not a reload (CATMAID's administration manual). Through systemd
 * when it runs the machine's nginx; otherwise nginx is stopped and started again with the same configuration.
 */
export interface RestartPlan {
  how: 'systemctl' | 'signal';
  nginx: NginxCommand;
  /** The restart as one would type it. */
  display: string;
  /** The reload (for a configuration change without new certificate files), as one would type it. */
  reloadDisplay: string;
}

const SYSTEMD_STATES = new Set(['running', 'degraded', 'starting', 'initializing', 'maintenance', 'stopping']);

/** Is the machine run by systemd: its runtime folder, or systemctl saying so (when /run is not shared). */
export async function systemdRunning(): Promise<boolean> {
  if (fs.existsSync('/run/systemd/system')) return true;
  const result = await execa('systemctl', ['is-system-running'], { reject: false, timeout: 5000 });
  return SYSTEMD_STATES.has(`${result.stdout}`.trim());
}

export function restartPlan(nginx: NginxCommand, systemd: boolean): RestartPlan {
  if (systemd && nginx.configArgs.length === 0) {
    return { how: 'systemctl', nginx, display: 'systemctl restart nginx', reloadDisplay: 'systemctl reload nginx' };
  }
  const base = [nginx.binary, ...nginx.configArgs].join(' ');
  return { how: 'signal', nginx, display: `${base} -s stop && ${base}`, reloadDisplay: `${base} -s reload` };
}

async function run(file: string, args: string[], what: string): Promise<string> {
  const result = await execa(file, args, { reject: false, all: true, timeout: 60_000 });
  if (result.exitCode !== 0) throw new CliError(`${what} failed`, EXIT.failed, oneLine(result.all ?? '') || `exit ${result.exitCode}`);
  return `${result.all ?? ''}`;
}

/** Stop, then start until the old master has let go of its ports (nginx itself retries a bind for ~2 s). */
async function stopAndStart(nginx: NginxCommand): Promise<void> {
  await execa(nginx.binary, [...nginx.configArgs, '-s', 'stop'], { reject: false });
  // In its prefix, as a private nginx (a sandbox's) was started, so tools that find its processes by folder still do.
  const prefix = nginx.configArgs[nginx.configArgs.indexOf('-p') + 1];
  const cwd = nginx.configArgs.includes('-p') && prefix ? prefix : undefined;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const started = await execa(nginx.binary, nginx.configArgs, { reject: false, all: true, timeout: 30_000, cwd });
    if (started.exitCode === 0) return;
    if (!/in use|could not bind/i.test(started.all ?? '') || Date.now() > deadline) {
      throw new CliError('nginx did not start again', EXIT.failed, oneLine(started.all ?? '') || `exit ${started.exitCode}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function restartNginx(plan: RestartPlan): Promise<void> {
  if (plan.how === 'systemctl') await run('systemctl', ['restart', 'nginx'], plan.display).catch((err: CliError) => {
    throw new CliError(err.message, EXIT.failed, `${err.hint ?? ''}; see: journalctl -u nginx`);
  });
  else await stopAndStart(plan.nginx);
}

/** A configuration change without new certificate files: a reload keeps nginx serving. */
export async function reloadNginx(plan: RestartPlan): Promise<void> {
  if (plan.how === 'systemctl') await run('systemctl', ['reload', 'nginx'], plan.reloadDisplay);
  else await run(plan.nginx.binary, [...plan.nginx.configArgs, '-s', 'reload'], plan.reloadDisplay);
}
