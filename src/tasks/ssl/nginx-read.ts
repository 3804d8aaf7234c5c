import { execa } from 'execa';
import { oneLine } from '../errors.js';
import { findAll, parseNginx, splitDump, type NginxNode } from './nginx-parse.js';
import type { NginxCommand } from './nginx-version.js';

/** A server block that serves CATMAID, as found in the running configuration. */
export interface FoundServer {
  file: string;
  line: number;
  serverNames: string[];
  listens: string[];
  /** The `proxy_pass` or `uwsgi_pass` target, when there is one. */
  upstream?: { kind: 'http' | 'uwsgi'; address: string };
  /** `location <url> { alias|root <dir>; }` pairs, to carry static folders over. */
  locations: { url: string; dir?: string }[];
  matchedBy: 'server_name' | 'upstream';
}

export interface NginxReading {
  /** False when `nginx -T` failed (e.g. an ordinary user cannot read the keys); `error` says why. */
  ok: boolean;
  error?: string;
  files: string[];
  servers: FoundServer[];
}

function describe(file: string, server: NginxNode, matchedBy: FoundServer['matchedBy']): FoundServer {
  const children = server.children ?? [];
  const locations = children
    .filter((c) => c.name === 'location' && c.children)
    .map((loc) => {
      const dir = loc.children?.find((c) => c.name === 'alias' || c.name === 'root')?.args[0];
      return { url: loc.args[loc.args.length - 1], dir };
    });
  const proxy = findAll(children, 'proxy_pass')[0]?.args[0];
  const uwsgi = findAll(children, 'uwsgi_pass')[0]?.args[0];
  return {
    file,
    line: server.line,
    serverNames: children.filter((c) => c.name === 'server_name').flatMap((c) => c.args),
    listens: children.filter((c) => c.name === 'listen').map((c) => c.args.join(' ')),
    upstream: proxy ? { kind: 'http', address: proxy } : uwsgi ? { kind: 'uwsgi', address: uwsgi } : undefined,
    locations,
    matchedBy,
  };
}

/** Strip `http://`, `uwsgi://` and a trailing slash, so `--upstream 127.0.0.1:8000` matches `http://127.0.0.1:8000/`. */
export function bareUpstream(address: string): string {
  return address.replace(/^[a-z]+:\/\//, '').replace(/\/$/, '');
}

/** The server blocks in `files` that name `serverName` or pass requests to `upstream`. */
export function findCatmaidServers(
  files: { file: string; content: string }[],
  serverName: string,
  upstream?: string,
): FoundServer[] {
  const found: FoundServer[] = [];
  for (const { file, content } of files) {
    let tree: NginxNode[];
    try {
      tree = parseNginx(content);
    } catch {
      continue;
    }
    for (const server of findAll(tree, 'server').filter((s) => s.children)) {
      const names = (server.children ?? []).filter((c) => c.name === 'server_name').flatMap((c) => c.args);
      const passes = [...findAll(server.children ?? [], 'proxy_pass'), ...findAll(server.children ?? [], 'uwsgi_pass')];
      if (names.includes(serverName)) found.push(describe(file, server, 'server_name'));
      else if (upstream && passes.some((p) => bareUpstream(p.args[0] ?? '') === bareUpstream(upstream))) {
        found.push(describe(file, server, 'upstream'));
      }
    }
  }
  return found;
}

/** Read the configuration nginx would load (`nginx -T`) and find CATMAID's server blocks in it. */
export async function readRunningConfig(
  nginx: NginxCommand,
  serverName: string,
  upstream?: string,
): Promise<NginxReading> {
  const result = await execa(nginx.binary, [...nginx.configArgs, '-T'], { reject: false });
  if (result.exitCode !== 0) {
    return { ok: false, error: oneLine(result.stderr || `nginx -T exited with ${result.exitCode}`), files: [], servers: [] };
  }
  const files = splitDump(result.stdout);
  return { ok: true, files: files.map((f) => f.file), servers: findCatmaidServers(files, serverName, upstream) };
}
