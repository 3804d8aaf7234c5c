import readline from 'node:readline/promises';
import type { Command } from 'commander';
import { RefusedError, UsageError } from '../tasks/errors.js';
import { applyFix, describeFix, fixOf, type ApplyResult } from '../tasks/checkup/apply.js';
import { toMarkdown, toText, STATUS_SYMBOL } from '../tasks/checkup/report.js';
import { DEFAULT_INTERVAL_SECONDS, DEFAULT_SAMPLES, runCheckup, type CheckupOptions } from '../tasks/checkup/run.js';
import { parseRamSize } from '../tasks/checkup/units.js';
import { discoverInstance } from '../tasks/instance/index.js';
import { instanceOf, printJson } from './context.js';

interface Flags {
  json?: boolean;
  markdown?: boolean;
  samples: string;
  interval: string;
  workers?: string;
  tilesPath?: string;
  dbRam?: string;
  apply?: string[];
  yes?: boolean;
}

function count(text: string, flag: string, min = 0): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} wants a whole number ≥ ${min}, not "${text}"`);
  return n;
}

export function checkupOptions(flags: Flags): CheckupOptions {
  const interval = Number(flags.interval);
  if (!(interval > 0)) throw new UsageError(`--interval wants seconds > 0, not "${flags.interval}"`);
  let dbRamBytes: number | undefined;
  if (flags.dbRam !== undefined) {
    dbRamBytes = parseRamSize(flags.dbRam) ?? undefined;
    if (dbRamBytes === undefined) throw new UsageError(`--db-ram wants a size like 64GB, not "${flags.dbRam}"`);
  }
  return {
    samples: count(flags.samples, '--samples'),
    intervalSeconds: interval,
    workers: flags.workers === undefined ? undefined : count(flags.workers, '--workers'),
    tilesPath: flags.tilesPath,
    dbRamBytes,
  };
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new RefusedError('--apply asks before changing anything, and there is no terminal to ask', 'add --yes to apply without asking');
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

export function registerCheckup(program: Command): void {
  program
    .command('checkup')
    .description('measured performance advice for PostgreSQL, Django, nginx and the OS, with the fix ready')
    .option('--json', 'the report as JSON (schema catmaid-tui/checkup@1)')
    .option('--markdown', 'the report as Markdown')
    .option('--samples <n>', 'connection samples for CONN_MAX_AGE advice (0 = none)', String(DEFAULT_SAMPLES))
    .option('--interval <seconds>', 'seconds between samples', String(DEFAULT_INTERVAL_SECONDS))
    .option('--workers <n>', 'WSGI worker threads (default: counted in the process table)')
    .option('--tiles-path <dir>', 'the image tiles folder (noatime, network file system)')
    .option('--db-ram <size>', "the database host's RAM when PostgreSQL runs elsewhere, e.g. 64GB")
    .option('--apply <id>', 'apply this check\'s fix (repeatable)', (id: string, all: string[] = []) => [...all, id])
    .option('-y, --yes', 'apply without asking')
    .action(async (flags: Flags, command: Command) => {
      if (flags.json && flags.markdown) throw new UsageError('--json and --markdown exclude each other');
      const options = checkupOptions(flags);
      const info = await discoverInstance(await instanceOf(command), { database: false, processes: false });
      const tty = process.stderr.isTTY && !flags.json && !flags.markdown;
      const onSample = tty ? (s: number[]) => process.stderr.write(`\rsampling connections ${s.length}/${options.samples}: ${s.join(' ')}`) : undefined;
      const report = await runCheckup(info, { ...options, onSample });
      if (tty && options.samples) process.stderr.write('\n');
      if (!flags.apply?.length) {
        if (flags.json) printJson(report);
        else process.stdout.write(flags.markdown ? toMarkdown(report) : toText(report));
        return;
      }
      const known = report.checks.map((c) => c.id);
      const chosen = flags.apply.map((id) => {
        const check = report.checks.find((c) => c.id === id);
        fixOf(check, id, known);
        return check!;
      });
      const applied: ApplyResult[] = [];
      for (const check of chosen) {
        const say = (text: string) => process.stderr.write(`${text}\n`);
        say(describeFix(check, info));
        if (!flags.yes && !(await confirm(`Apply ${check.id}?`))) {
          say(`${check.id}: not applied`);
          continue;
        }
        const result = await applyFix(info, check);
        applied.push(result);
        for (const line of result.lines) say(`  ${line}`);
      }
      const after = await runCheckup(info, { ...options, samples: 0, rereadSettings: true });
      const now = applied.map((r) => after.checks.find((c) => c.id === r.id)).filter((c) => c !== undefined);
      if (flags.json) {
        printJson({ schema: 'catmaid-tui/checkup-apply@1', applied, after: now });
        return;
      }
      for (const c of now) process.stdout.write(`${STATUS_SYMBOL[c.status]} ${c.id}: now ${c.status} (${c.current})\n`);
    });
}
