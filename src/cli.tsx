import { Command, CommanderError, Option } from 'commander';
import { CliError, EXIT, oneLine } from './tasks/errors.js';
import { registerDemo } from './commands/demo.js';
import { registerExtensions } from './commands/extensions.js';
import { registerInfo } from './commands/info.js';
import { registerSandbox } from './commands/sandbox.js';
import { registerSsl } from './commands/ssl.js';
import { registerUpdate } from './commands/update.js';
import { registerWizard } from './commands/wizard.js';
import pkg from '../package.json' with { type: 'json' };

/** Argument parsing and the one place that turns errors into exit codes. */
export function buildProgram(): Command {
  const program = new Command('catmaid-tui')
    .description('Keep a CATMAID server healthy: update, back up, check, monitor.')
    .version(pkg.version, '-V, --version')
    .option('-C, --catmaid-dir <dir>', 'the CATMAID instance (default: $CATMAID_DIR, else the checkout around .)')
    .option('--no-color', 'no colour (NO_COLOR does the same)')
    .addOption(new Option('--debug', 'show stack traces of errors').hideHelp())
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ outputError: () => undefined });
  registerWizard(program);
  registerInfo(program);
  registerSandbox(program);
  registerDemo(program);
  registerExtensions(program);
  registerSsl(program);
  registerUpdate(program);
  return program;
}

function report(err: unknown, debug: boolean): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
      return EXIT.ok;
    }
    process.stderr.write(`catmaid-tui: ${oneLine(err.message.replace(/^error: /, ''))}\n  hint: catmaid-tui --help\n`);
    return EXIT.usage;
  }
  if (err instanceof CliError) {
    process.stderr.write(`catmaid-tui: ${oneLine(err)}\n`);
    if (err.hint) process.stderr.write(`  hint: ${err.hint}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  process.stderr.write(`catmaid-tui: ${oneLine(err)}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write('  hint: run again with --debug to see where it failed\n');
  return EXIT.failed;
}

export async function main(argv: string[]): Promise<number> {
  if (process.env.NO_COLOR !== undefined || argv.includes('--no-color')) process.env.FORCE_COLOR = '0';
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    return report(err, argv.includes('--debug'));
  }
}

