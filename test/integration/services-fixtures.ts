import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { execa } from 'execa';

/** GET `url`: status and body. */
export function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** Poll until `check` holds, or fail after `ms` with what it last saw. */
export async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`still not there after ${ms} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export const supervisorctl = (conf: string, ...args: string[]) => execa('supervisorctl', ['-c', conf, ...args], { reject: false });

/** `catmaid:uwsgi` → its pid, from `supervisorctl status`. */
export async function programPids(conf: string): Promise<Record<string, number>> {
  const { stdout } = await supervisorctl(conf, 'status');
  const pids: Record<string, number> = {};
  for (const match of stdout.matchAll(/^catmaid:(\S+)\s+RUNNING\s+pid (\d+)/gm)) pids[match[1]] = Number(match[2]);
  return pids;
}

export interface ProcInfo {
  pid: number;
  ppid: number;
  argv: string[];
  cwd: string;
}

/** Every process we may read, from /proc. */
export function processes(): ProcInfo[] {
  const list: ProcInfo[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      let cwd = '';
      try {
        cwd = fs.readlinkSync(`/proc/${entry}/cwd`);
      } catch {
        // not ours to read
      }
      list.push({ pid: Number(entry), ppid: Number(ppid), argv, cwd });
    } catch {
      // gone meanwhile
    }
  }
  return list;
}

/** Processes whose working directory or an argument lies under `dir` (this test process aside). */
export function processesUnder(dir: string): ProcInfo[] {
  const inside = (p: string) => p === dir || p.startsWith(dir + path.sep);
  return processes().filter((p) => p.pid !== process.pid && (inside(p.cwd) || p.argv.some((a) => a.split('=').some(inside))));
}

/** The pid holding the local TCP port `port` on 127.0.0.1 (from /proc/net/tcp and the processes' sockets). */
export function pidOfLocalPort(port: number): number | null {
  const wanted = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const line = fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').find((l) => l.trim().split(/\s+/)[1] === wanted);
  const inode = line?.trim().split(/\s+/)[9];
  if (!inode) return null;
  for (const p of processes()) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${p.pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (fs.readlinkSync(`/proc/${p.pid}/fd/${fd}`) === `socket:[${inode}]`) return p.pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return null;
}
