import { Command, CommanderError, Option } from 'commander';
import { CliError, EXIT, oneLine } from './tasks/errors.js';
import { registerWizard } from './commands/wizard.js';
import { versionText } from './version.js';
import { leaveUnusableCwd } from './tasks/usable-cwd.js';

type Register = (program: Command) => void;

/**
 * The subcommands, in help order, each loaded only when it runs: `--version` and the wizard's first frame do not
 * pay for the modules of every command (issue 2: --version < 100 ms).
 */
const COMMANDS: [names: string[], load: () => Promise<Register[]>][] = [
  [['info'], async () => [(await import('./commands/info.js')).registerInfo]],
  [['update', 'releases'], async () => [(await import('./commands/update.js')).registerUpdate]],
  [['backup', 'backups', 'restore', 'schedule', 'pgpass'], async () => [(await import('./commands/backup.js')).registerBackup]],
  [['monitor'], async () => [(await import('./commands/monitor.js')).registerMonitor]],
  [['checkup'], async () => [(await import('./commands/checkup.js')).registerCheckup]],
  [['ssl'], async () => [(await import('./commands/ssl.js')).registerSsl]],
  [['extensions'], async () => [(await import('./commands/extensions.js')).registerExtensions]],
  [['sandbox'], async () => [(await import('./commands/sandbox.js')).registerSandbox]],
  [['demo'], async () => [(await import('./commands/demo.js')).registerDemo]],
];

/** The first word that is not an option (or an option's value): the subcommand, if any. */
export function commandWord(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === '--') return args[i + 1];
    if (arg === '-C' || arg === '--catmaid-dir') i += 1;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

async function registersFor(args: string[]): Promise<Register[]> {
  const word = commandWord(args);
  const wanted = word === undefined ? (args.some((a) => a === '-h' || a === '--help') ? COMMANDS : []) : COMMANDS.filter(([names]) => names.includes(word));
  // An unknown word (or `help`) needs them all, for the help text and commander's "did you mean".
  const chosen = word !== undefined && wanted.length === 0 ? COMMANDS : wanted;
  return (await Promise.all(chosen.map(([, load]) => load()))).flat();
}

/** Argument parsing and the one place that turns errors into exit codes. */
export async function buildProgram(args: string[] = []): Promise<Command> {
  const program = new Command('catmaid-tui')
    .description('Keep a CATMAID server healthy: update, back up, check, monitor.')
    .version(versionText(), '-V, --version')
    .option('-C, --catmaid-dir <dir>', 'the CATMAID instance (default: $CATMAID_DIR, else the checkout around .)')
    .option('--no-color', 'no colour (NO_COLOR does the same)')
    .addOption(new Option('--debug', 'show stack traces of errors').hideHelp())
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ outputError: () => undefined });
  registerWizard(program);
  for (const register of await registersFor(args)) register(program);
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
  leaveUnusableCwd();
  if (process.env.NO_COLOR !== undefined || argv.includes('--no-color')) process.env.FORCE_COLOR = '0';
  try {
    const program = await buildProgram(argv.slice(2));
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    return report(err, argv.includes('--debug'));
  }
}

