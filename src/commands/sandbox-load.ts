import type { Command } from 'commander';
import { sandboxStatus } from '../sandbox/index.js';
import { startLoad } from '../sandbox/load/index.js';
import { CliError, UsageError } from '../tasks/errors.js';
import { discoverInstance } from '../tasks/instance/index.js';
import { defaultSandboxDir } from '../tasks/paths.js';

interface LoadFlags {
  workers: string;
  connMaxAge?: string;
  leak?: boolean;
  duration: string;
}

function count(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not ${text}`);
  }
  return value;
}

/** 'None' (Django's forever), or seconds ≥ 0. */
export function parseConnMaxAge(text: string): number | null {
  if (/^none$/i.test(text)) return null;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`--conn-max-age must be seconds ≥ 0 or None, not ${text}`);
  return value;
}

/** `catmaid-tui sandbox load [DIR]`: CATMAID-shaped client traffic against the sandbox, for the monitor. */
export function registerSandboxLoad(sandbox: Command): void {
  sandbox
    .command('load [dir]')
    .description('run client traffic against the sandbox database: workers, long queries, a blocked query, leaks')
    .option('--workers <n>', 'WSGI worker threads, each with its connection', '4')
    .option('--conn-max-age <s>', "like Django's CONN_MAX_AGE: 0 = a connection per request, None = forever " +
      "(default: the sandbox's settings.py)")
    .option('--leak', 'also open a connection every 1.5 s and never close it')
    .option('--duration <s>', 'stop after this many seconds', '300')
    .action(async (dir: string | undefined, flags: LoadFlags) => {
      const workers = count('--workers', flags.workers, 1, 250);
      const duration = count('--duration', flags.duration, 1, 86_400);
      const status = await sandboxStatus(dir ?? defaultSandboxDir());
      if (!status.running) {
        throw new CliError(`the sandbox in ${status.dir} is not running`, undefined, `catmaid-tui sandbox start ${status.dir}`);
      }
      const info = await discoverInstance({ name: 'sandbox', root: status.root, via: '--catmaid-dir' },
        { database: false, processes: false });
      const { database, connMaxAge: configured } = info.settings.settings;
      const connMaxAge = flags.connMaxAge === undefined ? configured : parseConnMaxAge(flags.connMaxAge);
      const load = await startLoad({ db: database, workers, connMaxAge, leak: flags.leak === true, durationMs: duration * 1000 });
      process.stdout.write(
        `load on ${database.host}:${database.port}/${database.name} as ${database.user}: ${workers} workers ` +
          `(CONN_MAX_AGE ${connMaxAge ?? 'None'}), 2 long queries, 1 idle-in-transaction lock holder ` +
          `(pid ${load.blocked?.holder}) blocking pid ${load.blocked?.waiter}${flags.leak ? ', leaking connections' : ''}` +
          ` · stops in ${duration} s or on Ctrl+C\n  watch it: catmaid-tui -C ${status.root} monitor\n`,
      );
      const onSignal = (): void => void load.stop();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const ticker = setInterval(() => {
        const s = load.stats();
        process.stdout.write(`  ${s.requests} requests · ${s.open} connections open · ${s.leaked} leaked · ${s.errors} errors\n`);
      }, 10_000);
      await load.done;
      clearInterval(ticker);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      const s = load.stats();
      process.stdout.write(`stopped: ${s.requests} requests, ${s.leaked} leaked connections closed, ${s.errors} errors\n`);
    });
}
