import type { Command } from 'commander';
import { discoverInstance } from '../tasks/instance/index.js';
import { instanceSslStatus } from '../tasks/ssl/instance-status.js';
import type { SslStatus } from '../tasks/ssl/status.js';
import { statusLines } from '../tasks/ssl/status-lines.js';
import { instanceOf, printJson } from './context.js';

export interface SslStatusJson extends SslStatus {
  schema: 'catmaid-tui/ssl-status@1';
}

export function registerSslStatus(ssl: Command): void {
  ssl
    .command('status')
    .description('the certificate nginx serves for CATMAID: days to expiry (warn under 21, fail under 7) and whether renewal is scheduled')
    .option('--server-name <name>', 'look for this name in nginx -T (default: ALLOWED_HOSTS) when catmaid-tui did not set HTTPS up')
    .option('--json', 'print it as JSON')
    .action(async (options: { serverName?: string; json?: boolean }, command: Command) => {
      const located = await instanceOf(command);
      const info = await discoverInstance(located, { database: false, processes: false });
      const status = await instanceSslStatus(info, { serverName: options.serverName });
      if (options.json) {
        const json: SslStatusJson = { schema: 'catmaid-tui/ssl-status@1', ...status };
        return printJson(json);
      }
      process.stdout.write(`${statusLines(status).join('\n')}\n`);
    });
}
