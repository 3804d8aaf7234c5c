import fs from 'node:fs';
import path from 'node:path';
import { fileStamp } from './atomic-write.js';
import { logDir } from './paths.js';

/**
 * The log every task that changes something writes: each command with its arguments and its output, with time
 * stamps. Secrets registered with `redact` are replaced before anything reaches the file.
 */
export interface TaskLog {
  readonly path: string;
  line(text: string): void;
  command(file: string, args: readonly string[]): void;
  output(text: string): void;
  redact(secret: string | undefined): void;
  close(): void;
}

export function openTaskLog(task: string, dir = logDir()): TaskLog {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stamp = fileStamp().replace(/^(\d{8})(\d{6})$/, '$1-$2');
  const file = path.join(dir, `${stamp}-${task}.log`);
  const fd = fs.openSync(file, 'a', 0o600);
  const secrets: string[] = [];
  let open = true;
  const clean = (text: string) => secrets.reduce((t, s) => t.split(s).join('***'), text);
  const write = (text: string) => {
    if (!open) return;
    fs.writeSync(fd, clean(text));
  };
  const now = () => new Date().toISOString();
  return {
    path: file,
    line: (text) => write(`${now()} ${text}\n`),
    command: (cmd, args) => write(`${now()} $ ${[cmd, ...args].map(quoteArg).join(' ')}\n`),
    output: (text) => write(text.endsWith('\n') ? text : `${text}\n`),
    redact: (secret) => {
      if (secret) secrets.push(secret);
    },
    close: () => {
      if (!open) return;
      open = false;
      fs.closeSync(fd);
    },
  };
}

/** Shell-like quoting for the log only: makes a logged command readable and copyable. */
export function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
