import readline from 'node:readline/promises';
import { RefusedError } from '../tasks/errors.js';

/**
 * A yes/no question for a command that changes something. The safe answer is the default. Without a terminal the
 * command needs `--yes` and is refused (exit 3) otherwise, so a script never hangs on a prompt.
 */
export async function confirmOrRefuse(question: string, yes: boolean | undefined, flag = '--yes'): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new RefusedError(`not confirmed: ${question}`, `run it in a terminal, or add ${flag}`);
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question} [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') throw new RefusedError('cancelled; nothing was changed');
  } finally {
    rl.close();
  }
}
