/**
 * Errors that end a command with a meaning. The CLI prints `message` (and `hint`) as one line on stderr and
 * exits with `exitCode`; anything else is a bug and exits 1 with the message only (stack with --debug).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failed,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad usage or bad input: exit 2. */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.usage, hint);
    this.name = 'UsageError';
  }
}

/** Refused by a safety check: exit 3. */
export class RefusedError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.refused, hint);
    this.name = 'RefusedError';
  }
}

/** The message of anything thrown, on one line. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s*\n\s*/g, ' · ').trim();
}
