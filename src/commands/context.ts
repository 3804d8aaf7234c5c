import type { Command } from 'commander';
import { locateInstance, type LocatedInstance } from '../tasks/instance/locate.js';

/** Options every command understands (set before or after the command name). */
export interface GlobalOptions {
  catmaidDir?: string;
  color: boolean;
  debug: boolean;
}

export function globalsOf(command: Command): GlobalOptions {
  const all = command.optsWithGlobals() as { catmaidDir?: string; color?: boolean; debug?: boolean };
  return {
    catmaidDir: all.catmaidDir,
    color: all.color !== false && process.env.NO_COLOR === undefined,
    debug: all.debug === true,
  };
}

/** The instance a command works on: --catmaid-dir, $CATMAID_DIR, the checkout around cwd, or the config. */
export function instanceOf(command: Command): Promise<LocatedInstance> {
  return locateInstance({ catmaidDir: globalsOf(command).catmaidDir });
}

/** Print a value as JSON on stdout (the `--json` form of every command). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
