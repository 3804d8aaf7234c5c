import { Command, CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { registerWizard } from '../../src/commands/wizard.js';
import { UsageError } from '../../src/tasks/errors.js';

const realStdin = Object.getOwnPropertyDescriptor(process.stdin, 'isTTY');
const realStdout = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');

function setTTY(stdin: boolean, stdout: boolean): void {
  Object.defineProperty(process.stdin, 'isTTY', { value: stdin, configurable: true });
  Object.defineProperty(process.stdout, 'isTTY', { value: stdout, configurable: true });
}

afterEach(() => {
  for (const [stream, real] of [[process.stdin, realStdin], [process.stdout, realStdout]] as const) {
    if (real) Object.defineProperty(stream, 'isTTY', real);
    else delete (stream as { isTTY?: boolean }).isTTY;
  }
});

/** A program shaped like src/cli.tsx: the wizard first, then a subcommand. */
function program(ran: string[]): Command {
  const root = new Command('catmaid-tui').exitOverride().configureOutput({ writeErr: () => undefined }).showSuggestionAfterError();
  root.option('-C, --catmaid-dir <dir>');
  registerWizard(root);
  root.command('info').action(() => void ran.push('info'));
  return root;
}

describe('the bare command', () => {
  it('refuses without a terminal, pointing at the subcommands (exit 2)', async () => {
    setTTY(false, true);
    const error = await program([]).parseAsync(['node', 'catmaid-tui']).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toMatch(/needs a terminal/);
    expect((error as UsageError).hint).toContain('catmaid-tui info');
    setTTY(true, false);
    expect(await program([]).parseAsync(['node', 'catmaid-tui']).catch((err: unknown) => err)).toBeInstanceOf(UsageError);
  });

  it('leaves subcommands to themselves and calls an unknown word an unknown command', async () => {
    const ran: string[] = [];
    await program(ran).parseAsync(['node', 'catmaid-tui', 'info']);
    expect(ran).toEqual(['info']);
    const error = await program(ran).parseAsync(['node', 'catmaid-tui', 'inf']).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).code).toBe('commander.unknownCommand');
    expect((error as CommanderError).message).toContain("unknown command 'inf'");
    expect((error as CommanderError).message).toContain('info');
    const two = await program(ran).parseAsync(['node', 'catmaid-tui', 'foo', 'bar']).catch((err: unknown) => err);
    expect((two as CommanderError).code).toBe('commander.unknownCommand');
  });
});
