import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * uWSGI's stats server (the `stats` option; what uwsgitop reads): on connect it writes one JSON document and
 * closes. From it: each worker's id, pid, state and requests, and its threads ("cores").
 */
export interface UwsgiWorker {
  id: number;
  pid: number;
  /** 'idle', 'busy', 'cheap', 'pause', 'sig' … as uWSGI says. */
  status: string;
  requests: number;
  threads: number;
  /** Threads inside a request right now. */
  busyThreads: number;
}

export interface UwsgiStats {
  address: string;
  workers: UwsgiWorker[];
}

/** The `stats` address of a uWSGI command line, or of the .ini file it names (`--ini f`, `uwsgi f.ini`). */
export function statsAddress(argv: readonly string[], cwd = '/', read = (f: string) => fs.readFileSync(f, 'utf8')): string | null {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--stats' || arg === '--stats-server') return argv[i + 1] ?? null;
    const inline = /^--stats(?:-server)?=(.+)$/.exec(arg);
    if (inline) return inline[1];
  }
  const inis = argv.flatMap((arg, i) =>
    arg === '--ini' ? [argv[i + 1]] : arg.startsWith('--ini=') ? [arg.slice(6)] : /\.ini$/.test(arg) && i > 0 ? [arg] : []);
  for (const ini of inis) {
    if (!ini) continue;
    try {
      const text = read(path.resolve(cwd, ini));
      const match = /^\s*stats(?:-server)?\s*=\s*(\S+)\s*$/m.exec(text);
      if (match) return match[1];
    } catch {
      // unreadable ini: no stats
    }
  }
  return null;
}

export function parseStats(address: string, text: string): UwsgiStats | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    try {
      // uWSGI 2.0 can write a socket's name from memory it never set (seen: runs of \x1a, more often under load):
      // control characters other than JSON's whitespace are never valid JSON, so they stand for nothing here.
      json = JSON.parse(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '\ufffd'));
    } catch {
      return null;
    }
  }
  const workers = (json as { workers?: unknown }).workers;
  if (!Array.isArray(workers)) return null;
  return {
    address,
    workers: workers.map((w: Record<string, unknown>) => {
      const cores = Array.isArray(w.cores) ? (w.cores as Record<string, unknown>[]) : [];
      return {
        id: Number(w.id),
        pid: Number(w.pid),
        status: String(w.status ?? ''),
        requests: Number(w.requests ?? 0),
        threads: Math.max(1, cores.length),
        busyThreads: cores.filter((c) => Number(c.in_request ?? 0) > 0).length,
      };
    }),
  };
}

/** One read of the stats server at `address` (a unix socket path or host:port); null when it does not answer. */
export function readStats(address: string, timeoutMs = 1000): Promise<UwsgiStats | null> {
  return new Promise((resolve) => {
    const tcp = /^(.*):(\d+)$/.exec(address);
    const socket = tcp && !address.startsWith('/') ? net.connect(Number(tcp[2]), tcp[1] || '127.0.0.1') : net.connect(address);
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (value: UwsgiStats | null): void => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(value);
    };
    const parsed = (): UwsgiStats | null => parseStats(address, Buffer.concat(chunks).toString('utf8'));
    socket.setTimeout(timeoutMs, () => finish(null));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The master may reset the connection right after writing: what arrived before the reset still counts.
    socket.on('error', () => finish(parsed()));
    socket.on('end', () => finish(parsed()));
  });
}
