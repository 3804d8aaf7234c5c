import { describeProcesses } from '../../instance/processes.js';
import { commandLine } from '../plan.js';
import type { PreflightCheck } from '../preflight.js';
import type { ServiceSetup } from './setup.js';
import type { WebEntry } from './web.js';

/**
 * Pre-flight on what runs: processes no service manager runs refuse the update (catmaid-tui cannot stop them and
 * they would use the database while it is migrated), named by program; services it can stop are stopped for the
 * update and started after; the web server's address is where the maintenance page and the health check are seen.
 */
export function servicesChecks(setup: ServiceSetup, web: WebEntry | null, allowRunning: boolean): PreflightCheck[] {
  const checks: PreflightCheck[] = [];
  if (setup.unmanaged.length > 0) {
    checks.push({
      id: 'server',
      status: allowRunning ? 'warn' : 'fail',
      title: `running outside the services catmaid-tui can stop: ${describeProcesses(setup.unmanaged).join(', ')}`,
      detail: [
        'they would use the database while it is migrated: stop them first',
        `e.g. kill ${setup.unmanaged.filter((p) => !setup.unmanaged.some((q) => q.pid === p.ppid)).map((p) => p.pid).join(' ')}`,
        ...setup.problems,
      ],
      override: '--allow-running',
    });
  }
  if (setup.stop.length > 0) {
    const managed = setup.processes.filter((p) => !setup.unmanaged.includes(p));
    checks.push({
      id: 'services',
      status: 'warn',
      title: `services running: ${setup.programs.join(', ')} → stopped for the update, started after`,
      detail: [...describeProcesses(managed), ...setup.stop.map((c) => `$ ${commandLine(c)}`)],
    });
  } else if (setup.processes.length === 0) {
    checks.push({ id: 'server', status: 'ok', title: 'nothing of the instance runs' });
  }
  if (setup.stop.length > 0 || web) {
    checks.push(
      web
        ? { id: 'web', status: 'info', title: `web server: ${web.url} (${web.found === '--url' ? '--url' : `nginx, ${web.found}`}): maintenance page and health checked there` }
        : { id: 'web', status: 'warn', title: 'no nginx found that serves this checkout: no maintenance page or health check through the web server', detail: ['pass --url https://<server>/<path>/ to check it there'] },
    );
  }
  return checks;
}
