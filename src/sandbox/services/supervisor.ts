import fs from 'node:fs';
import { execa } from 'execa';
import { CliError } from '../../tasks/errors.js';
import { findExecutable } from './executables.js';
import { pidFromFile, waitGone } from './processes.js';
import type { ServicesLayout } from './layout.js';

export interface ProgramState {
  /** `catmaid:uwsgi` */
  name: string;
  /** RUNNING, STARTING, STOPPED, FATAL, BACKOFF, EXITED … */
  state: string;
  pid: number | null;
  /** What supervisorctl says after the state: `pid 42, uptime 0:01:02`, `Exited too quickly …`. */
  description: string;
}

/** One line of `supervisorctl status`. */
export function parseStatusLine(line: string): ProgramState | null {
  const match = /^(\S+)\s+([A-Z]+)\s*(.*)$/.exec(line.trim());
  if (!match) return null;
  const [, name, state, description] = match;
  const pid = /\bpid (\d+)/.exec(description);
  return { name, state, pid: pid ? Number(pid[1]) : null, description: description.trim() };
}

export async function supervisorctl(layout: ServicesLayout, args: string[]) {
  const binary = findExecutable('supervisorctl', 'supervisor');
  return execa(binary, ['-c', layout.supervisorConf, ...args], { reject: false, cwd: layout.base });
}

/** The states of all programs; empty when supervisord does not answer. */
export async function programStates(layout: ServicesLayout): Promise<ProgramState[]> {
  if (supervisordPid(layout) === null) return [];
  const result = await supervisorctl(layout, ['status']);
  return result.stdout.split('\n').map(parseStatusLine).filter((s): s is ProgramState => s !== null && s.name.includes(':'));
}

/** supervisord's pid from its pid file, when that process lives and is a supervisord with our configuration. */
export function supervisordPid(layout: ServicesLayout): number | null {
  return pidFromFile(layout.supervisorPid, ['supervisord', layout.supervisorConf]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function logTail(file: string, lines = 5): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join(' · ');
  } catch {
    return '';
  }
}

/** Start supervisord (it daemonizes) and wait until its socket answers. Stale pid and socket files are removed first. */
export async function startSupervisord(layout: ServicesLayout, env: Record<string, string>): Promise<number> {
  const logFile = layout.supervisorLog;
  await fs.promises.rm(layout.supervisorPid, { force: true });
  await fs.promises.rm(layout.supervisorSocket, { force: true });
  const binary = findExecutable('supervisord', 'supervisor');
  const result = await execa(binary, ['-c', layout.supervisorConf], { reject: false, env, extendEnv: false, cwd: layout.base });
  if (result.exitCode !== 0) {
    throw new CliError(`supervisord did not start: ${(result.stderr || result.stdout).trim() || logTail(logFile)}`, undefined, `see ${logFile}`);
  }
  const deadline = Date.now() + 15_000;
  for (;;) {
    const pid = supervisordPid(layout);
    if (pid !== null && fs.existsSync(layout.supervisorSocket)) return pid;
    if (Date.now() > deadline) throw new CliError(`supervisord did not start: ${logTail(logFile)}`, undefined, `see ${logFile}`);
    await sleep(50);
  }
}

/** Stop supervisord and its programs (each with its stopsignal); SIGTERM, then SIGKILL, if it does not go. */
export async function stopSupervisord(layout: ServicesLayout): Promise<void> {
  const pid = supervisordPid(layout);
  if (pid === null) return;
  await supervisorctl(layout, ['shutdown']);
  if (await waitGone([pid], 30_000)) return;
  process.kill(pid, 'SIGTERM');
  if (!(await waitGone([pid], 5000))) process.kill(pid, 'SIGKILL');
}
