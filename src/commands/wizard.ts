import type { Command } from 'commander';
import { UsageError } from '../tasks/errors.js';
import { locateInstances, type LocatedInstance } from '../tasks/instance/locate.js';
import { globalsOf } from './context.js';

const NEEDS_TERMINAL_HINT =
  'run it in an interactive terminal, or use a subcommand: `catmaid-tui info`, `catmaid-tui --help`';

/**
 * ink draws only the final frame when CI or CONTINUOUS_INTEGRATION is set. The wizard has a terminal (checked
 * before this is called), so it is interactive whatever those say. Called before ink is first imported.
 */
function interactiveEnv(): void {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
}

/**
 * Open the full-screen wizard on these instances (a picker first when there are several). React, ink and the
 * instance readers are loaded only here, so `--version` and `info` start without them.
 */
export async function openWizard(located: LocatedInstance[], initialScreen?: string): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError('the wizard needs a terminal (stdin and stdout are not a TTY)', NEEDS_TERMINAL_HINT);
  }
  interactiveEnv();
  const [{ runWizard }, { discoverInstance, probeLive, readNotices }] = await Promise.all([
    import('../app.js'),
    import('../tasks/instance/index.js'),
  ]);
  await runWizard({
    located,
    services: {
      discover: (instance) => discoverInstance(instance),
      probe: (info) => probeLive(info),
      notices: (info) => readNotices(info),
    },
    initialScreen,
  });
}

/**
 * The bare command opens the wizard. The root takes a hidden variadic operand only so that a word that is no
 * subcommand reaches this action and becomes commander's own "unknown command" error (exit 2), rather than
 * being swallowed or reported as "too many arguments".
 */
export function registerWizard(program: Command): void {
  program
    .usage('[options] [command]')
    .argument('[command...]')
    .action(async (words: string[]) => {
      if (words.length > 0) {
        (program as Command & { unknownCommand(): never }).unknownCommand();
      }
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        throw new UsageError('the wizard needs a terminal (stdin and stdout are not a TTY)', NEEDS_TERMINAL_HINT);
      }
      await openWizard(await locateInstances({ catmaidDir: globalsOf(program).catmaidDir }));
    });
}
