import fs from 'node:fs';
import { supervisorSetupsFor, type SupervisorSetup } from '../update/services/supervisor.js';
import { systemdUnitsFor, UNIT_DIRS, type SystemdUnit } from '../update/services/systemd.js';
import { findInstanceProcesses, type InstanceProcess, type ManagerLookup } from './processes.js';

/**
 * The service managers that run this root (supervisord setups whose programs point into it, systemd units that
 * do) and, through them, every process of the instance with who runs it. The update's pre-flight refuses on
 * what this finds unmanaged and `info` lists the same processes, so both always name the same programs.
 */
export interface ServiceManagers {
  supervisor: SupervisorSetup[];
  systemd: SystemdUnit[];
  lookup: ManagerLookup;
}

export interface ManagerOptions {
  proc?: string;
  unitDirs?: readonly string[];
}

export function serviceManagersOf(root: string, options: ManagerOptions = {}): ServiceManagers {
  const supervisor = supervisorSetupsFor(root, options.proc);
  const haveSystemd = fs.existsSync('/run/systemd/system') || options.unitDirs !== undefined;
  const systemd = haveSystemd ? systemdUnitsFor(root, options.unitDirs ?? UNIT_DIRS) : [];
  return { supervisor, systemd, lookup: { supervisords: new Map(supervisor.map((s) => [s.pid, s.conf])), units: new Set(systemd.map((u) => u.name)) } };
}

/** Every process running the instance's code (servers, celery worker and beat, gevent runners, manage.py …). */
export function instanceProcessesOf(root: string, options: ManagerOptions = {}): InstanceProcess[] {
  return findInstanceProcesses(root, serviceManagersOf(root, options).lookup, options.proc);
}
