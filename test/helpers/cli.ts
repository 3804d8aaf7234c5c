import { execa } from 'execa';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binPath = path.join(repoRoot, 'bin', 'catmaid-tui');

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string;
  timeout?: number;
}

/** XDG folders under `home`, so a test's logs, backups and config stay out of the real user's. */
export function privateHome(home: string): Record<'XDG_STATE_HOME' | 'XDG_DATA_HOME' | 'XDG_CONFIG_HOME', string> {
  return {
    XDG_STATE_HOME: path.join(home, 'state'),
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_CONFIG_HOME: path.join(home, 'config'),
  };
}

/** Run the built catmaid-tui (npm test bundles it first) the way an admin or cron would: no terminal. */
export function runCli(args: string[], options: CliOptions = {}) {
  return execa(process.execPath, [binPath, ...args], {
    reject: false,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    timeout: options.timeout ?? 120_000,
    cwd: options.cwd,
    env: { NO_COLOR: '1', ...options.env },
  });
}
