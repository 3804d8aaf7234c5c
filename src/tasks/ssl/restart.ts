import fs from 'node:fs';
import { execa } from 'execa';
import { CliError, EXIT, oneLine } from '../errors.js';
import type { NginxCommand } from './nginx-version.js';

/**
 * New certificate files need a restart: a reload keeps the old ones in some setups (CATMAID's administration manual's advice), so
 * catmaid-tui restarts. Through systemd when it runs the machine; otherwise it only says what to run.
 */
export interface RestartPlan {
  how: 'systemctl' | 'manual';
  /** The command, as arguments (run by `restartNginx` when `how` is systemctl). */
  argv: string[];
  /** The command as one would type it. */
  display: string;
}

export const systemdRunning = (): boolean => fs.existsSync('/run/systemd/system');

export function restartPlan(nginx: NginxCommand, systemd: boolean): RestartPlan {
  if (systemd && nginx.configArgs.length === 0) {
    const argv = ['systemctl', 'restart', 'nginx'];
    return { how: 'systemctl', argv, display: argv.join(' ') };
  }
  // A private or non-systemd nginx: stop it and start it again with the same configuration.
  const base = [nginx.binary, ...nginx.configArgs];
  return { how: 'manual', argv: [...base, '-s', 'stop'], display: `${base.join(' ')} -s stop && ${base.join(' ')}` };
}

export async function restartNginx(plan: RestartPlan): Promise<void> {
  if (plan.how !== 'systemctl') {
    throw new CliError('no systemd here: restart nginx yourself', EXIT.failed, plan.display);
  }
  const [file, ...args] = plan.argv;
  const result = await execa(file, args, { reject: false, all: true });
  if (result.exitCode !== 0) {
    throw new CliError(`${plan.display} failed`, EXIT.failed, oneLine(result.all ?? '') || 'see: journalctl -u nginx');
  }
}
