import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { findAll, serverBlocks, splitDump, type NginxNode } from '../../ssl/nginx-parse.js';

/**
 * Where CATMAID answers through the web server: from the configuration of each running nginx (`nginx -T` with
 * the arguments its master was started with), the server block with a `location <prefix>static/` whose alias is
 * the checkout's `django/static/` (CATMAID's administration manual's layout). The health check goes to nginx's
 * own listen address with the server's name as Host.
 */
export interface WebEntry {
  /** What an admin opens, e.g. `https://catmaid.example.org/catmaid/`. */
  url: string;
  /** Where the request really goes (nginx's listen address on this host). */
  connect: { host: string; port: number; tls: boolean };
  host: string;
  /** The websocket route through nginx, when a location upgrades connections. */
  websocketPath: string | null;
  /** The nginx configuration it was found in. */
  found: string;
}

/** `nginx: master process /usr/sbin/nginx -c X -p Y` → binary and arguments. */
export function nginxMasters(proc = '/proc'): { binary: string; args: string[] }[] {
  const masters: { binary: string; args: string[] }[] = [];
  for (const entry of fs.readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue;
    let title: string;
    try {
      title = fs.readFileSync(path.join(proc, entry, 'cmdline'), 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      continue;
    }
    const m = /^nginx: master process (\S+)(.*)$/.exec(title);
    if (!m) continue;
    const words = m[2].trim().split(/\s+/).filter(Boolean);
    const args: string[] = [];
    for (let i = 0; i < words.length; i += 1) if (['-c', '-p', '-e'].includes(words[i]) && words[i + 1]) args.push(words[i], words[(i += 1)]);
    masters.push({ binary: m[1], args });
  }
  return masters;
}

function listenOf(server: NginxNode): { host: string; port: number; tls: boolean } {
  const listen = (server.children ?? []).find((c) => c.name === 'listen')?.args ?? ['80'];
  const tls = listen.includes('ssl');
  const address = listen[0];
  const m = /^(?:\[([^\]]+)\]|([^:]+))?:?(\d+)?$/.exec(address) ?? [];
  const bare = /^\d+$/.test(address);
  const host = bare ? '' : (m[1] ?? m[2] ?? '');
  const port = Number(bare ? address : (m[3] ?? (tls ? 443 : 80)));
  return { host: !host || host === '*' || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host, port, tls };
}

const normalDir = (dir: string): string => path.resolve(dir).replace(/\/+$/, '');

/** The CATMAID entry of a configuration dump, if it serves this root. */
export function catmaidEntry(files: { file: string; content: string }[], root: string): WebEntry | null {
  const staticDir = normalDir(path.join(root, 'django', 'static'));
  for (const { file, server } of serverBlocks(files)) {
    const locations = findAll(server.children ?? [], 'location');
    const statics = locations.find((l) => (l.children ?? []).some((c) => (c.name === 'alias' || c.name === 'root') && c.args[0] && normalDir(c.args[0]) === staticDir));
    if (!statics) continue;
    const prefix = (statics.args.at(-1) ?? '/static/').replace(/static\/?$/, '');
    const connect = listenOf(server);
    const name = (server.children ?? []).find((c) => c.name === 'server_name')?.args.find((n) => n !== '_' && !n.startsWith('~') && !n.includes('*'));
    const host = name ?? connect.host;
    const upgrade = locations.find((l) => (l.children ?? []).some((c) => c.name === 'proxy_set_header' && /^upgrade$/i.test(c.args[0] ?? '')));
    const wsLocation = upgrade?.args.at(-1) ?? null;
    const defaultPort = connect.tls ? 443 : 80;
    return {
      url: `${connect.tls ? 'https' : 'http'}://${host}${connect.port === defaultPort ? '' : `:${connect.port}`}${prefix}`,
      connect,
      host,
      websocketPath: wsLocation ? (wsLocation.endsWith('channels/') ? `${wsLocation}updates/` : wsLocation) : null,
      found: file,
    };
  }
  return null;
}

/** CATMAID's entry in the configuration of a running nginx, null when no nginx serves this root. */
export async function findWebEntry(root: string, proc = '/proc'): Promise<WebEntry | null> {
  for (const master of nginxMasters(proc)) {
    const dump = await execa(master.binary, [...master.args, '-T'], { reject: false, timeout: 10_000 });
    if (dump.exitCode !== 0) continue;
    const entry = catmaidEntry(splitDump(`${dump.stdout}`), root);
    if (entry) return entry;
  }
  return null;
}
