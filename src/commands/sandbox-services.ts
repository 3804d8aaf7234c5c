import type { Command } from 'commander';
import {
  sandboxServicesStatus,
  startSandboxServices,
  stopSandboxServices,
  type ServicesInfo,
  type ServicesStatus,
} from '../sandbox/index.js';
import { defaultSandboxDir } from '../tasks/paths.js';
import { printJson } from './context.js';

const dirOf = (dir: string | undefined): string => dir ?? defaultSandboxDir();

function rows(pairs: [string, string][]): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join('');
}

/** The lines `sandbox status` adds about the services. */
export function servicesRows(info: ServicesInfo | null): [string, string][] {
  if (!info) return [['services', 'never started (catmaid-tui sandbox start --services)']];
  return [
    ['services', info.running ? 'running (supervisord, nginx)' : 'stopped'],
    ['CATMAID', info.url],
  ];
}

function printStatus(status: ServicesStatus): void {
  const { info } = status;
  if (!info) {
    process.stdout.write(rows(servicesRows(null)));
    return;
  }
  const pid = (value: number | null) => (value === null ? 'stopped' : `running (pid ${value})`);
  process.stdout.write(rows([
    ['CATMAID', info.url],
    ['supervisord', `${pid(status.supervisordPid)}, supervisorctl -c ${info.supervisorConf} status`],
    ...status.programs.map((p): [string, string] => [`  ${p.name}`, `${p.state} ${p.description}`.trim()]),
    ['nginx', `${pid(status.nginxPid)}, site ${info.nginx.siteFile}`],
    ['uWSGI', `${info.uwsgiSocket} (stats ${info.uwsgiStats})`],
    ['daphne', info.daphneSocket],
    ['maintenance', info.maintenancePage],
  ]));
}

/** `catmaid-tui sandbox services start|stop|status [DIR]`. */
export function registerSandboxServices(sandbox: Command): void {
  const services = sandbox
    .command('services')
    .description("CATMAID's services of the sandbox: uWSGI, daphne, celery worker and beat under supervisord, and nginx");

  services
    .command('start [dir]')
    .description('start the services (and the database server they need); returns when CATMAID answers through nginx')
    .action(async (dir: string | undefined) => {
      const started = Date.now();
      const info = await startSandboxServices(dirOf(dir));
      process.stdout.write(`services running in ${((Date.now() - started) / 1000).toFixed(1)} s: CATMAID at ${info.services?.url}\n`);
    });

  services
    .command('stop [dir]')
    .description('stop supervisord (uWSGI, daphne, celery) and nginx; the database server keeps running')
    .action(async (dir: string | undefined) => {
      await stopSandboxServices(dirOf(dir));
      process.stdout.write('services stopped\n');
    });

  services
    .command('status [dir]')
    .description('the state of each program, the URL, sockets and configuration files')
    .option('--json', 'machine-readable output')
    .action(async (dir: string | undefined, options: { json?: boolean }) => {
      const status = await sandboxServicesStatus(dirOf(dir));
      if (options.json) printJson(status);
      else printStatus(status);
    });
}
