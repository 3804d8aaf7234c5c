import fs from 'node:fs';
import path from 'node:path';

/** In the environment of every process the sandbox starts for its services (supervisord passes it on). */
export const MARKER = 'CATMAID_TUI_SANDBOX';

export interface SandboxProcess {
  pid: number;
  ppid: number;
  command: string;
}

function under(dir: string, candidate: string): boolean {
  const rel = path.relative(dir, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function read(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** This process and its ancestors: never ended, though their arguments may name the sandbox. */
function selfAndAncestors(proc: string): Set<number> {
  const chain = new Set<number>();
  for (let pid = process.pid; pid > 1 && !chain.has(pid); pid = statOf(proc, pid)?.ppid ?? 0) chain.add(pid);
  return chain;
}

/** State and parent from /proc/<pid>/stat (the fields after the command name, which may hold spaces). */
function statOf(proc: string, pid: number): { state: string; ppid: number } | null {
  const stat = read(path.join(proc, String(pid), 'stat'));
  if (stat === null) return null;
  const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state, ppid: Number(ppid) };
}

const isZombie = (proc: string, pid: number): boolean => (statOf(proc, pid)?.state ?? 'Z') === 'Z';

export interface Selection {
  /** DIR: processes with the sandbox's marker for it. */
  dir: string;
  /**
   * Also processes working in one of these folders. nginx writes its process titles over its environment,
   * so its master and workers are found by the folder it was started in.
   */
  cwdWithin?: string[];
  /** Also processes whose working directory or any argument lies under one of these folders. */
  within?: string[];
  /** Owners (uids) whose processes `within` and `cwdWithin` select (default: ours); a marker selects any owner's. */
  uids?: number[];
}

/** A folder and, when a symlink leads there, its real path: /proc shows real paths. */
function withRealPaths(folders: string[] | undefined): string[] | undefined {
  return folders?.flatMap((folder) => {
    try {
      return [folder, fs.realpathSync(folder)];
    } catch {
      return [folder];
    }
  });
}

/** Live processes of a sandbox, read from /proc. */
export function sandboxProcesses(sel: Selection, proc = '/proc'): SandboxProcess[] {
  const skip = selfAndAncestors(proc);
  const within = withRealPaths(sel.within);
  const cwdWithin = withRealPaths(sel.cwdWithin);
  const marker = `${MARKER}=${sel.dir}`;
  const found: SandboxProcess[] = [];
  for (const entry of fs.readdirSync(proc)) {
    const pid = Number(entry);
    if (!/^\d+$/.test(entry) || skip.has(pid) || isZombie(proc, pid)) continue;
    const argv = (read(path.join(proc, entry, 'cmdline')) ?? '').split('\0').filter(Boolean);
    const environ = read(path.join(proc, entry, 'environ'))?.split('\0') ?? [];
    let selected = environ.includes(marker);
    if (!selected && (within?.length || cwdWithin?.length)) {
      const uid = Number(/^Uid:\s+(\d+)/m.exec(read(path.join(proc, entry, 'status')) ?? '')?.[1] ?? -1);
      let cwd = '';
      try {
        cwd = fs.readlinkSync(path.join(proc, entry, 'cwd'));
      } catch {
        // gone, or not ours to read
      }
      const inside = (folders: string[] | undefined) => (p: string) => folders?.some((f) => path.isAbsolute(p) && under(f, p)) ?? false;
      const args = argv.map((a) => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : a));
      const underWithin = inside(within);
      selected = (sel.uids ?? [process.getuid?.() ?? uid]).includes(uid)
        && (underWithin(cwd) || args.some(underWithin) || argv.some(underWithin) || inside(cwdWithin)(cwd));
    }
    if (selected) found.push({ pid, ppid: statOf(proc, pid)?.ppid ?? 0, command: argv.join(' ') });
  }
  return found;
}

/** `roots` and every process of `list` below them. */
export function withDescendants(roots: number[], list: SandboxProcess[]): Set<number> {
  const family = new Set(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of list) {
      if (!family.has(p.pid) && family.has(p.ppid)) {
        family.add(p.pid);
        grew = true;
      }
    }
  }
  return family;
}

/**
 * The pid a daemon wrote to `pidFile`, when that process lives and its command line holds every one of
 * `mustInclude` (a stale file after kill -9 may name a pid reused by something else).
 */
export function pidFromFile(pidFile: string, mustInclude: string[]): number | null {
  const pid = Number(read(pidFile)?.trim());
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return null;
  const cmdline = read(`/proc/${pid}/cmdline`);
  return cmdline !== null && mustInclude.every((part) => cmdline.includes(part)) ? pid : null;
}

export function alive(pid: number, proc = '/proc'): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(proc, pid);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wait until none of `pids` lives, up to `ms`; true when all are gone. */
export async function waitGone(pids: number[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (pids.some((pid) => alive(pid))) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

const signal = (pid: number, sig: NodeJS.Signals): void => {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
};

/** SIGTERM, then SIGKILL to whatever still lives after `graceMs`. Returns what was ended. */
export async function endProcesses(list: SandboxProcess[], graceMs = 3000): Promise<SandboxProcess[]> {
  for (const p of list) signal(p.pid, 'SIGTERM');
  // A stopped process acts on SIGTERM only once continued.
  for (const p of list) signal(p.pid, 'SIGCONT');
  if (!(await waitGone(list.map((p) => p.pid), graceMs))) {
    for (const p of list) if (alive(p.pid)) signal(p.pid, 'SIGKILL');
    await waitGone(list.map((p) => p.pid), 2000);
  }
  return list;
}
