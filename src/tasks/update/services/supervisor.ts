import fs from 'node:fs';
import path from 'node:path';
import { mentionsRoot } from '../../instance/processes.js';
import { expand, parseIni } from './ini.js';

/**
 * CATMAID's programs under supervisord, as CATMAID's administration manual sets them up: a `[group:catmaid]` of
 * `[program:…]` sections (uWSGI, daphne, celery worker and beat) with `directory = <root>/django/projects/`.
 * Found from the running supervisord processes and the configuration each was started with (`-c`, else
 * supervisord's own search order), its `[include]` files included: only programs whose directory or command
 * point into this root are the instance's.
 */
export interface SupervisorProgram {
  name: string;
  group: string | null;
  command: string;
  directory: string | null;
}

export interface SupervisorSetup {
  /** The configuration file supervisorctl is pointed at (`supervisorctl -c <conf>`). */
  conf: string;
  pid: number;
  /** The instance's programs. */
  programs: SupervisorProgram[];
  /** Groups made only of the instance's programs: stopped and started whole (`supervisorctl stop catmaid:`). */
  groups: string[];
}

const DEFAULT_CONFS = ['supervisord.conf', 'etc/supervisord.conf', '/etc/supervisord.conf', '/etc/supervisor/supervisord.conf'];

function readArgv(proc: string, pid: string): string[] {
  try {
    return fs.readFileSync(path.join(proc, pid, 'cmdline'), 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** The configuration a supervisord process runs with. */
export function supervisordConf(argv: string[], cwd: string): string | null {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = arg === '-c' || arg === '--configuration' ? argv[i + 1] : /^--configuration=(.+)$/.exec(arg)?.[1] ?? (arg.startsWith('-c') && arg.length > 2 ? arg.slice(2) : undefined);
    if (value) return path.resolve(cwd || '/', value);
  }
  return DEFAULT_CONFS.map((c) => path.resolve(cwd || '/', c)).find((c) => fs.existsSync(c)) ?? null;
}

/** Running supervisord processes and their configuration files. */
export function runningSupervisords(proc = '/proc'): { pid: number; conf: string }[] {
  const found: { pid: number; conf: string }[] = [];
  for (const entry of fs.readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = readArgv(proc, entry);
    if (!argv.slice(0, 2).some((a) => path.basename(a) === 'supervisord')) continue;
    let cwd = '';
    try {
      cwd = fs.readlinkSync(path.join(proc, entry, 'cwd'));
    } catch {
      // another user's supervisord: relative paths cannot be resolved, absolute ones still can
    }
    const conf = supervisordConf(argv, cwd);
    if (conf) found.push({ pid: Number(entry), conf });
  }
  return found;
}

/** Every program of a configuration (its includes read too), with its group. */
export function readSupervisorConfig(conf: string): SupervisorProgram[] {
  const files = [conf];
  const main = parseIni(fs.readFileSync(conf, 'utf8'));
  const include = main.get('include')?.get('files');
  if (include) {
    const here = path.dirname(conf);
    for (const pattern of expand(include, here).split(/\s+/).filter(Boolean)) files.push(...globFiles(path.resolve(here, pattern)));
  }
  const programs: SupervisorProgram[] = [];
  const groupOf = new Map<string, string>();
  for (const file of files) {
    let sections;
    try {
      sections = file === conf ? main : parseIni(fs.readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    const here = path.dirname(file);
    for (const [name, values] of sections) {
      const program = /^program:(.+)$/.exec(name)?.[1];
      if (program) {
        programs.push({ name: program, group: null, command: expand(values.get('command') ?? '', here), directory: values.has('directory') ? expand(values.get('directory') ?? '', here) : null });
      }
      const group = /^group:(.+)$/.exec(name)?.[1];
      if (group) for (const member of (values.get('programs') ?? '').split(',').map((p) => p.trim()).filter(Boolean)) groupOf.set(member, group);
    }
  }
  return programs.map((p) => ({ ...p, group: groupOf.get(p.name) ?? null }));
}

/** `/etc/supervisor/conf.d/*.conf`: the one glob form supervisord's includes use (a `*` in the file name). */
function globFiles(pattern: string): string[] {
  const dir = path.dirname(pattern);
  const re = new RegExp(`^${path.basename(pattern).replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  try {
    return fs.readdirSync(dir).filter((n) => re.test(n)).sort().map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

const belongs = (program: SupervisorProgram, root: string): boolean =>
  (program.directory !== null && mentionsRoot(program.directory, root)) || program.command.split(/\s+/).some((token) => mentionsRoot(token, root));

/** The supervisord setups that run programs of this root. */
export function supervisorSetupsFor(root: string, proc = '/proc'): SupervisorSetup[] {
  const setups: SupervisorSetup[] = [];
  for (const { pid, conf } of runningSupervisords(proc)) {
    let all: SupervisorProgram[];
    try {
      all = readSupervisorConfig(conf);
    } catch {
      continue;
    }
    const programs = all.filter((p) => belongs(p, root));
    if (programs.length === 0) continue;
    const groups = [...new Set(programs.map((p) => p.group).filter((g): g is string => g !== null))].filter((g) => all.filter((p) => p.group === g).every((p) => programs.includes(p)));
    setups.push({ conf, pid, programs, groups });
  }
  return setups;
}

/** What supervisorctl is told to stop or start: whole groups (`catmaid:`) where it can, else single programs. */
export function supervisorTargets(setup: SupervisorSetup): string[] {
  const single = setup.programs.filter((p) => !p.group || !setup.groups.includes(p.group)).map((p) => (p.group ? `${p.group}:${p.name}` : p.name));
  return [...setup.groups.map((g) => `${g}:`), ...single];
}

/** `catmaid:uwsgi` (or `uwsgi` outside a group): supervisorctl's name of a program. */
export const supervisorName = (program: SupervisorProgram): string => (program.group ? `${program.group}:${program.name}` : program.name);
