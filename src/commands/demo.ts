import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { SandboxInfo } from '../sandbox/index.js';
import { rememberInstance } from '../tasks/config.js';
import { defaultSandboxDir } from '../tasks/paths.js';
import { openWizard } from './wizard.js';

/**
 * What stays behind when the wizard is left: the cluster and CATMAID's services keep running, where, and how to
 * stop or remove them.
 */
export function demoQuitMessage(info: Pick<SandboxInfo, 'dir' | 'pgDir' | 'host' | 'port' | 'pgVersion' | 'services'>): string[] {
  const services = info.services?.running
    ? [`CATMAID's services keep running too: ${info.services.url} (nginx), uWSGI, daphne and celery under supervisord (${info.services.supervisorConf})`]
    : [];
  return [
    `the sandbox's PostgreSQL ${info.pgVersion} keeps running on ${info.host}:${info.port} (data in ${info.pgDir})`,
    ...services,
    `  stop ${services.length ? 'them' : 'it'}:    catmaid-tui sandbox stop ${info.dir}    (catmaid-tui demo starts ${services.length ? 'them' : 'it'} again)`,
    `  remove all: catmaid-tui sandbox destroy ${info.dir}`,
  ];
}

/** `demo`: the default sandbox, created when missing and started when stopped, then the wizard on it. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description("create (if missing) and start the default sandbox with CATMAID's services, then open the wizard on it")
    .action(async () => {
      const sandbox = await import('../sandbox/index.js');
      const dir = defaultSandboxDir();
      const say = (text: string) => process.stderr.write(`demo: ${text}\n`);
      let info;
      if (!fs.existsSync(path.join(dir, 'sandbox.json'))) {
        say(`creating a sandbox instance in ${dir}`);
        info = await sandbox.createSandbox(dir, { size: 'small', services: true, onProgress: (step) => say(step) });
      } else {
        info = await sandbox.sandboxStatus(dir);
        if (!info.running || !info.services?.running) {
          say("starting the sandbox database and CATMAID's services");
          info = await sandbox.startSandbox(dir, { services: true });
        }
      }
      say(`CATMAID runs at ${info.services?.url} (uWSGI, daphne, celery under supervisord; nginx)`);
      await rememberInstance('sandbox', { root: info.root });
      // Traffic shaped like CATMAID's, so the Monitor and the Checkup have something to show; ends with the wizard.
      const [{ startLoad }, { discoverInstance }] = await Promise.all([
        import('../sandbox/load/index.js'),
        import('../tasks/instance/index.js'),
      ]);
      const located = { name: 'sandbox', root: info.root, via: 'demo' } as const;
      const instance = await discoverInstance(located, { database: false, processes: false });
      const { database, connMaxAge } = instance.settings.settings;
      say(`starting client traffic: 4 workers (CONN_MAX_AGE ${connMaxAge ?? 'None'} as in settings.py), long queries, a blocked one`);
      const load = await startLoad({ db: database, workers: 4, connMaxAge });
      try {
        await openWizard([located]);
      } finally {
        await load.stop();
        for (const line of demoQuitMessage(await sandbox.sandboxStatus(dir))) say(line);
      }
    });
}
