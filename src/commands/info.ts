import type { Command } from 'commander';
import { discoverInstance } from '../tasks/instance/index.js';
import { infoJson, infoRows } from '../tasks/instance/summary.js';
import { instanceOf, printJson } from './context.js';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('instance summary: paths, version, settings, database, server')
    .option('--json', 'machine-readable output (the password shows as "***")')
    .action(async (options: { json?: boolean }, command: Command) => {
      const info = await discoverInstance(await instanceOf(command));
      if (options.json) {
        printJson(infoJson(info));
        return;
      }
      const rows = infoRows(info);
      const width = Math.max(...rows.map(([label]) => label.length));
      process.stdout.write(rows.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join(''));
    });
}
