import { execa } from 'execa';
import { oneLine } from '../../errors.js';
import { serviceManagersOf } from '../../instance/managed-processes.js';
import { describeProcesses, findInstanceProcesses, type InstanceProcess } from '../../instance/processes.js';
import type { PlannedCommand } from '../plan.js';
import { supervisorName, type SupervisorSetup } from './supervisor.js';
import type { SystemdUnit } from './systemd.js';

/**
 * How the instance runs, and how catmaid-tui can stop it for an update and start it after: the supervisord
 * programs and systemd units found for this root, which of them run now, and every process of the instance
 * with the manager that runs it. Processes no manager runs (a celery worker or runserver started by hand) are
 * `unmanaged`: the update cannot stop them and refuses, naming them.
 */
export interface ServiceSetup {
  supervisor: (SupervisorSetup & { running: string[]; error?: string })[];
  systemd: (SystemdUnit & { active: boolean })[];
  processes: InstanceProcess[];
  unmanaged: InstanceProcess[];
  /** Run in order to stop what runs now; empty when nothing managed runs. */
  stop: PlannedCommand[];
  /** Run in order after the update: starts exactly what was stopped. */
  start: PlannedCommand[];
  /** The programs the update stops and starts again (`catmaid:uwsgi`, `catmaid-celery.service`). */
  programs: string[];
  /** Services that run but cannot be controlled from here, with why (e.g. supervisord's socket not ours). */
  problems: string[];
}

export interface SetupOptions {
  proc?: string;
  unitDirs?: readonly string[];
  /** Commands as found on PATH; tests put fakes first. */
  env?: NodeJS.ProcessEnv;
}

async function supervisorState(setup: SupervisorSetup, env?: NodeJS.ProcessEnv): Promise<{ running: string[]; error?: string }> {
  const wanted = setup.programs.map(supervisorName);
  const result = await execa('supervisorctl', ['-c', setup.conf, 'status', ...wanted], { reject: false, env, timeout: 15_000 });
  const running = `${result.stdout}`.split('\n').map((l) => /^(\S+)\s+(RUNNING|STARTING|BACKOFF)\b/.exec(l.trim())?.[1]).filter((n): n is string => n !== undefined && wanted.includes(n));
  // supervisorctl exits 3 when some program is not running: that is an answer, not an error.
  const answered = /\b(RUNNING|STOPPED|STARTING|EXITED|FATAL|BACKOFF)\b/.test(`${result.stdout}`);
  return answered ? { running } : { running: [], error: oneLine(`${result.stderr}`.trim() || `${result.stdout}`.trim() || result.shortMessage) };
}

async function unitActive(unit: string, env?: NodeJS.ProcessEnv): Promise<boolean> {
  const result = await execa('systemctl', ['is-active', '--quiet', unit], { reject: false, env, timeout: 10_000 });
  return result.exitCode === 0;
}

/** A group (`catmaid:`) when all its programs were running, else the programs that were. */
function targets(setup: SupervisorSetup, running: string[]): string[] {
  const whole = setup.groups.filter((g) => setup.programs.filter((p) => p.group === g).every((p) => running.includes(supervisorName(p))));
  return [...whole.map((g) => `${g}:`), ...running.filter((name) => !whole.some((g) => name.startsWith(`${g}:`)))];
}

export async function readServiceSetup(root: string, options: SetupOptions = {}): Promise<ServiceSetup> {
  const { supervisor: setups, systemd: units, lookup } = serviceManagersOf(root, options);
  const [supervisor, systemd] = await Promise.all([
    Promise.all(setups.map(async (s) => ({ ...s, ...(await supervisorState(s, options.env)) }))),
    Promise.all(units.map(async (u) => ({ ...u, active: await unitActive(u.name, options.env) }))),
  ]);
  const processes = findInstanceProcesses(root, lookup, options.proc);
  const problems = supervisor.filter((s) => s.error).map((s) => `supervisorctl -c ${s.conf} does not answer: ${s.error}`);
  const controlled = (p: InstanceProcess) =>
    p.manager !== undefined && (p.manager.kind === 'systemd' || !supervisor.find((s) => p.manager?.kind === 'supervisor' && s.conf === p.manager.conf)?.error);
  const stop: PlannedCommand[] = [];
  const start: PlannedCommand[] = [];
  const programs: string[] = [];
  for (const s of supervisor.filter((x) => !x.error && x.running.length > 0)) {
    const names = targets(s, s.running);
    stop.push({ file: 'supervisorctl', args: ['-c', s.conf, 'stop', ...names], cwd: root });
    start.push({ file: 'supervisorctl', args: ['-c', s.conf, 'start', ...names], cwd: root });
    programs.push(...s.running);
  }
  const active = systemd.filter((u) => u.active).map((u) => u.name);
  if (active.length > 0) {
    stop.push({ file: 'systemctl', args: ['stop', ...active], cwd: root });
    start.push({ file: 'systemctl', args: ['start', ...active], cwd: root });
    programs.push(...active);
  }
  return { supervisor, systemd, processes, unmanaged: processes.filter((p) => !controlled(p)), stop, start, programs, problems };
}

/**
 * The restart-impact hook: the programs an update will stop and start again. The monitor can list the
 * sessions they hold (its snapshot) before they are cut.
 */
export function programsToRestart(setup: ServiceSetup): string[] {
  return setup.programs;
}

/** One line per program for pre-flight: `supervisor catmaid: uwsgi (3 processes …), daphne (pid 7)`. */
export function runningSummary(setup: ServiceSetup): string[] {
  const managed = setup.processes.filter((p) => !setup.unmanaged.includes(p));
  return managed.length === 0 ? [] : describeProcesses(managed);
}
