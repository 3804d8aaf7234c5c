import fs from 'node:fs';
import path from 'node:path';
import { mentionsRoot } from '../../instance/processes.js';
import { parseIni } from './ini.js';

/**
 * systemd units that run the instance: `.service` files whose WorkingDirectory, ExecStart or EnvironmentFile
 * point into the root (or at a configuration file that does, like a uWSGI ini). Stopped and started with
 * `systemctl stop|start <units>`.
 */
export const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];

export interface SystemdUnit {
  name: string;
  file: string;
  /** ExecStart's command line. */
  command: string;
}

export function systemdUnitsFor(root: string, dirs: readonly string[] = UNIT_DIRS): SystemdUnit[] {
  const units = new Map<string, SystemdUnit>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith('.service'));
    } catch {
      continue;
    }
    for (const name of names) {
      if (units.has(name)) continue; // /etc overrides /lib: the first one found is the one systemd uses
      const file = path.join(dir, name);
      let service: Map<string, string> | undefined;
      try {
        service = parseIni(fs.readFileSync(file, 'utf8')).get('Service');
      } catch {
        continue;
      }
      if (!service) continue;
      const cwd = service.get('workingdirectory') ?? '';
      const command = (service.get('execstart') ?? '').replace(/^[-@:+!]+/, '');
      const values = [cwd, ...command.split(/\s+/), service.get('environmentfile') ?? ''].filter(Boolean);
      if (values.some((v) => mentionsRoot(v.replace(/^-/, ''), root, cwd))) units.set(name, { name, file, command });
    }
  }
  return [...units.values()];
}
