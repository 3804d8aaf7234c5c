import { execa } from 'execa';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binPath = path.join(repoRoot, 'bin', 'catmaid-tui');
/** The single executable for this machine, made by `npm test` (`npm run package -- --host`) before vitest runs. */
export const executablePath = path.join(repoRoot, 'dist', `catmaid-tui-linux-${process.arch}`);

/**
 * How a test starts catmaid-tui. `bin`: node and bin/catmaid-tui (the bundle in dist/). `executable`: the single
 * executable, through a link named catmaid-tui, as admins install it (so `pgrep -f 'catmaid-tui -C …'` finds
 * both). vitest.config.ts runs test/e2e once with each; CATMAID_TUI_RUNNER picks it.
 */
export type RunnerName = 'bin' | 'executable';

export function runnerName(): RunnerName {
  return process.env.CATMAID_TUI_RUNNER === 'executable' ? 'executable' : 'bin';
}

export function catmaidTuiCommand(runner: RunnerName = runnerName()): string[] {
  if (runner === 'bin') return [process.execPath, binPath];
  if (!fs.existsSync(executablePath)) {
    throw new Error(`${executablePath} is missing: npm test makes it (or: scripts/with-node npm run package -- --host)`);
  }
  // One link per executable, made once (renamed into place whole) and shared by test files and runs.
  const key = crypto.createHash('sha256').update(executablePath).digest('hex').slice(0, 12);
  const link = path.join(os.tmpdir(), `catmaid-tui-test-exe-${key}`, 'catmaid-tui');
  if (!fs.existsSync(link)) {
    const work = fs.mkdtempSync(`${path.dirname(link)}.partial-`);
    fs.symlinkSync(executablePath, path.join(work, 'catmaid-tui'));
    fs.chmodSync(work, 0o755);
    try {
      fs.renameSync(work, path.dirname(link));
    } catch {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  return [link];
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string;
  timeout?: number;
  runner?: RunnerName;
}

/** XDG folders under `home`, so a test's logs, backups and config stay out of the real user's. */
export function privateHome(home: string): Record<'XDG_STATE_HOME' | 'XDG_DATA_HOME' | 'XDG_CONFIG_HOME', string> {
  return {
    XDG_STATE_HOME: path.join(home, 'state'),
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_CONFIG_HOME: path.join(home, 'config'),
  };
}

/** Run catmaid-tui (npm test builds it first) the way an admin or cron would: no terminal. */
export function runCli(args: string[], options: CliOptions = {}) {
  const [program, ...first] = catmaidTuiCommand(options.runner);
  return execa(program, [...first, ...args], {
    reject: false,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    timeout: options.timeout ?? 120_000,
    cwd: options.cwd,
    env: { NO_COLOR: '1', ...options.env },
  });
}
