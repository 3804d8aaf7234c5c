import { oneLine } from '../../errors.js';
import type { DatabaseSettings } from '../../instance/types.js';
import { restartImpact } from '../../monitor/restart-impact.js';
import type { PreflightCheck } from '../preflight.js';
import { programsToRestart, type ServiceSetup } from './setup.js';

/**
 * What stopping the services cuts, before the admin says yes: the database sessions of the processes the update
 * stops (the monitor's snapshot, each session named after its program), those in a query or transaction first.
 */
export async function restartImpactCheck(db: DatabaseSettings, root: string, setup: ServiceSetup): Promise<PreflightCheck | null> {
  if (programsToRestart(setup).length === 0) return null;
  const managed = setup.processes.filter((p) => !setup.unmanaged.includes(p));
  const pids = managed.filter((p) => !managed.some((q) => q.pid === p.ppid)).map((p) => p.pid);
  try {
    const impact = await restartImpact({ db, root, pids });
    const working = impact.running.map((s) => `${s.process?.label ?? `pid ${s.pid}`}: ${s.state ?? ''} ${(s.query ?? '').replace(/\s+/g, ' ').slice(0, 60)}`.trim());
    return {
      id: 'restart-impact',
      status: impact.running.length > 0 ? 'warn' : 'info',
      title: `stopping the services cuts ${impact.sessions.length} database session(s), ${impact.running.length} in a query or transaction`,
      detail: working.length > 0 ? working : undefined,
    };
  } catch (err) {
    return { id: 'restart-impact', status: 'info', title: `sessions the restart cuts: not known (${oneLine(err)})` };
  }
}
