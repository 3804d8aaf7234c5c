import type { Command } from 'commander';
import { discoverInstance, readNotices } from '../tasks/instance/index.js';
import { noticeLine } from '../tasks/instance/notices.js';
import { infoJson, infoRows } from '../tasks/instance/summary.js';
import { instanceOf, printJson } from './context.js';

const INFO_NOTICE_TIMEOUT_MS = 60_000;

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('instance summary: paths, version, settings, database, server')
    .option('--json', 'machine-readable output (the password shows as "***")')
    .action(async (options: { json?: boolean }, command: Command) => {
      const info = await discoverInstance(await instanceOf(command));
      // The admin waits for info: a Django start-up (migrate --plan) on a busy host may take longer than Home's budget.
      const notices = await readNotices(info, INFO_NOTICE_TIMEOUT_MS);
      if (options.json) {
        printJson({ ...infoJson(info), notices });
        return;
      }
      const rows = infoRows(info);
      for (const notice of notices) rows.push(['attention', noticeLine(notice)]);
      const width = Math.max(...rows.map(([label]) => label.length));
      process.stdout.write(rows.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join(''));
    });
}
