import os from 'node:os';
import path from 'node:path';

/** XDG base directories, with the spec's defaults under the home directory. */
function xdg(variable: string, fallback: string): string {
  const value = process.env[variable];
  return value && path.isAbsolute(value) ? value : path.join(os.homedir(), fallback);
}

export const configHome = (): string => xdg('XDG_CONFIG_HOME', '.config');
export const dataHome = (): string => xdg('XDG_DATA_HOME', '.local/share');
export const stateHome = (): string => xdg('XDG_STATE_HOME', '.local/state');

export const configFile = (): string => path.join(configHome(), 'catmaid-tui', 'config.json');
export const logDir = (): string => path.join(stateHome(), 'catmaid-tui', 'logs');
/** As root the sandbox's cluster runs as postgres, which cannot enter /root (0700): use /var/lib then. */
export const defaultSandboxDir = (): string =>
  process.getuid?.() === 0 && !process.env.XDG_DATA_HOME
    ? '/var/lib/catmaid-tui/sandbox'
    : path.join(dataHome(), 'catmaid-tui', 'sandbox');
export const defaultBackupDir = (instanceName: string): string =>
  path.join(dataHome(), 'catmaid-tui', 'backups', instanceName);
