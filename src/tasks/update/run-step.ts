import { execa } from 'execa';
import type { TaskLog } from '../task-log.js';
import { commandLine, type PlannedCommand } from './plan.js';

export interface StepOutcome {
  exitCode: number;
  seconds: number;
  /** The last lines of output, for the failure report. */
  tail: string[];
  lines: string[];
}

/**
 * Run one command of the update, streaming its output line by line (to the log and the screen). git gets
 * `safe.directory` so root can update a checkout owned by the CATMAID user; python runs unbuffered so progress
 * shows as it happens.
 */
export async function runPlannedCommand(
  command: PlannedCommand,
  options: { log?: TaskLog; onLine?: (line: string) => void; env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {},
): Promise<StepOutcome> {
  const args = command.file === 'git' ? ['-c', `safe.directory=${command.cwd}`, ...command.args] : command.args;
  options.log?.command(command.file, command.args);
  const started = Date.now();
  const child = execa(command.file, args, {
    cwd: command.cwd,
    all: true,
    reject: false,
    stdin: 'ignore',
    cancelSignal: options.signal,
    env: { PYTHONUNBUFFERED: '1', GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true', PIP_NO_INPUT: '1', ...options.env },
  });
  const lines: string[] = [];
  for await (const line of child.iterable({ from: 'all' })) {
    const text = String(line);
    lines.push(text);
    options.log?.output(`  ${text}`);
    options.onLine?.(text);
  }
  const result = await child;
  const exitCode = result.exitCode ?? (result.failed ? 1 : 0);
  options.log?.line(`exit ${exitCode} after ${((Date.now() - started) / 1000).toFixed(1)} s: ${commandLine(command)}`);
  return { exitCode, seconds: (Date.now() - started) / 1000, tail: lines.slice(-15), lines };
}

/** `Applying catmaid.0002_stack_groups... OK` → `catmaid.0002_stack_groups`. */
export function appliedMigrations(lines: string[]): string[] {
  return lines.map((l) => /^\s*Applying (\S+?)\.\.\. OK/.exec(l)?.[1]).filter((m): m is string => m !== undefined);
}
