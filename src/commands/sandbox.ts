import { Command, Option } from 'commander';
import { createSandbox, destroySandbox, sandboxStatus, startSandbox, stopSandbox, type SandboxInfo, type SandboxSize } from '../sandbox/index.js';
import { defaultSandboxDir } from '../tasks/paths.js';
import { printJson } from './context.js';
import { registerSandboxLoad } from './sandbox-load.js';
import { registerSandboxServices, servicesRows } from './sandbox-services.js';

const dirOf = (dir: string | undefined): string => dir ?? defaultSandboxDir();

function printInfo(info: SandboxInfo): void {
  const rows: [string, string][] = [
    ['sandbox', info.dir],
    ['instance root', info.root],
    ['origin', info.origin],
    ['server', info.running ? `running (pid ${info.pid})` : 'stopped'],
    ['PostgreSQL', `${info.pgVersion}, cluster ${info.pgDir}, owner ${info.superuser}`],
    ['listening', `${info.host}:${info.port}, socket ${info.socketDir}`],
    ['database', `${info.database} (role ${info.user}; password in settings.py)`],
    ['virtualenv', info.brokenVenv ? 'broken on purpose (--broken-venv): the settings can only be read statically' : 'complete'],
    ...servicesRows(info.services),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  process.stdout.write(rows.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join(''));
}

/** `catmaid-tui sandbox create|start|stop|status|destroy [DIR]`. */
export function registerSandbox(program: Command): void {
  const sandbox = program.command('sandbox').description('a throwaway CATMAID-shaped instance to try things on');
  registerSandboxLoad(sandbox);
  registerSandboxServices(sandbox);

  sandbox
    .command('create [dir]')
    .description('build a sandbox: git origin with releases, checkout, virtualenv, PostgreSQL cluster, seeded data')
    .addOption(new Option('--size <size>', 'seeded data: small ≈10k treenodes, large ≈2M').choices(['small', 'large']).default('small'))
    .option('--services', "also run CATMAID's services: uWSGI, daphne, celery under supervisord, nginx")
    .option('--broken-venv', 'leave the virtualenv half-installed, so that CATMAID\'s settings can only be read statically')
    .action(async (dir: string | undefined, options: { size: SandboxSize; services?: boolean; brokenVenv?: boolean }) => {
      const started = Date.now();
      const seconds = (): string => `${((Date.now() - started) / 1000).toFixed(1)}s`;
      const info = await createSandbox(dirOf(dir), {
        size: options.size,
        services: options.services,
        brokenVenv: options.brokenVenv === true,
        onProgress: (step) => process.stdout.write(`[${seconds()}] ${step}\n`),
      });
      process.stdout.write(`[${seconds()}] sandbox ready in ${info.dir}\n`);
      process.stdout.write(`  try: catmaid-tui --catmaid-dir ${info.root} info\n`);
    });

  sandbox
    .command('start [dir]')
    .description('start the sandbox database server')
    .option('--services', "also start CATMAID's services: uWSGI, daphne, celery under supervisord, nginx")
    .action(async (dir: string | undefined, options: { services?: boolean }) => printInfo(await startSandbox(dirOf(dir), options)));

  sandbox
    .command('stop [dir]')
    .description("stop the sandbox's services and database server")
    .action(async (dir: string | undefined) => printInfo(await stopSandbox(dirOf(dir))));

  sandbox
    .command('status [dir]')
    .description('whether the sandbox server runs, its port, pid and paths')
    .option('--json', 'machine-readable output')
    .action(async (dir: string | undefined, options: { json?: boolean }) => {
      const info = await sandboxStatus(dirOf(dir));
      if (options.json) printJson(info);
      else printInfo(info);
    });

  sandbox
    .command('destroy [dir]')
    .description('stop the services and the server, end what still runs from the folder, and delete it (refuses a folder that is not a sandbox)')
    .action(async (dir: string | undefined) => {
      const target = dirOf(dir);
      await destroySandbox(target);
      process.stdout.write(`removed ${target}\n`);
    });
}
