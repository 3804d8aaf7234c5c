import path from 'node:path';
import { findAll, parseNginx, type NginxNode } from '../../ssl/nginx-parse.js';

/**
 * The parts of `nginx -T` the web-server checks look at: http-level directives, the server blocks that serve
 * CATMAID, and their locations. `nginx -T` prints included files one after another, so a site file's server
 * blocks appear at its top level while the http block sits in nginx.conf.
 */
export interface NginxTree {
  http: NginxNode[];
  servers: NginxNode[];
  /** Files nginx printed that this reader could not parse. */
  unreadable: string[];
}

export function readTree(files: { file: string; content: string }[]): NginxTree {
  const http: NginxNode[] = [];
  const servers: NginxNode[] = [];
  const unreadable: string[] = [];
  for (const { file, content } of files) {
    let nodes: NginxNode[];
    try {
      nodes = parseNginx(content);
    } catch {
      unreadable.push(file);
      continue;
    }
    for (const block of findAll(nodes, 'http')) http.push(...(block.children ?? []));
    // `server host:port;` inside upstream blocks is a directive, not a server block.
    servers.push(...findAll(nodes, 'server').filter((node) => node.children));
  }
  return { http, servers, unreadable };
}

/** The server blocks that serve CATMAID: named in ALLOWED_HOSTS or passing requests on; else all of them. */
export function catmaidServers(tree: NginxTree, allowedHosts: string[]): NginxNode[] {
  const named = tree.servers.filter((server) =>
    directives(server, 'server_name').some((d) => d.args.some((name) => allowedHosts.includes(name))),
  );
  if (named.length) return named;
  const passing = tree.servers.filter(
    (server) => findAll(server.children ?? [], 'proxy_pass').length + findAll(server.children ?? [], 'uwsgi_pass').length > 0,
  );
  return passing.length ? passing : tree.servers;
}

/** Directives of one block (not nested ones). */
export function directives(block: NginxNode, name: string): NginxNode[] {
  return (block.children ?? []).filter((child) => child.name === name);
}

/** The effective value of an inherited directive: the innermost level that sets it wins, as in nginx. */
export function inherited(levels: NginxNode[][], name: string): NginxNode[] {
  for (const level of levels) {
    const found = level.filter((node) => node.name === name);
    if (found.length) return found;
  }
  return [];
}

export function isTls(server: NginxNode): boolean {
  return directives(server, 'listen').some((d) => d.args.includes('ssl')) || directives(server, 'ssl').some((d) => d.args[0] === 'on');
}

export function hasHttp2(server: NginxNode, http: NginxNode[]): boolean {
  if (directives(server, 'listen').some((d) => d.args.includes('http2'))) return true;
  const flag = inherited([server.children ?? [], http], 'http2')[0];
  return flag?.args[0] === 'on';
}

/** Locations that serve image tiles: under --tiles-path, or with "tile" in their URL or folder. */
export function tileLocations(servers: NginxNode[], tilesPath: string | null): NginxNode[] {
  const found: NginxNode[] = [];
  for (const server of servers) {
    for (const location of findAll(server.children ?? [], 'location')) {
      if (!location.children) continue;
      const dir = location.children.find((c) => c.name === 'alias' || c.name === 'root')?.args[0];
      const url = location.args[location.args.length - 1] ?? '';
      const underTiles =
        tilesPath !== null && dir !== undefined && !path.relative(path.resolve(tilesPath), path.resolve(dir)).startsWith('..');
      if (underTiles || /tile/i.test(url) || (dir !== undefined && /tile/i.test(dir))) found.push(location);
    }
  }
  return found;
}

/** `expires` as seconds: 'max' → Infinity; '30d', '1y', '12h', '3600' (seconds); 'off'/'epoch' → 0. */
export function expiresSeconds(args: string[]): number {
  const value = args[args.length - 1];
  if (value === 'max') return Infinity;
  const match = /^(\d+)(ms|s|m|h|d|w|M|y)?$/.exec(value ?? '');
  if (!match) return 0;
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2592000, y: 31536000 };
  return Number(match[1]) * unit[match[2] ?? 's'];
}
