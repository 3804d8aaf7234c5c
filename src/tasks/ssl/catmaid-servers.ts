import { findAll, type NginxNode } from './nginx-parse.js';

export const PASSES = ['uwsgi_pass', 'proxy_pass', 'fastcgi_pass', 'scgi_pass'];

/** Strip `http://`, `uwsgi://` and a trailing slash, so `--upstream 127.0.0.1:8000` matches `http://127.0.0.1:8000/`. */
export function bareUpstream(address: string): string {
  return address.replace(/^[a-z]+:\/\//, '').replace(/\/$/, '');
}

export interface FindOptions {
  serverName: string;
  upstream?: string;
  /** STATIC_ROOT and the like: a server block serving them is CATMAID's whatever its name. */
  staticRoots?: string[];
}

export type MatchedBy = 'server_name' | 'static' | 'upstream' | 'django';

const strip = (dir: string): string => dir.replace(/\/+$/, '');
export const passesOf = (server: NginxNode): NginxNode[] => PASSES.flatMap((p) => findAll(server.children ?? [], p));

/**
 * CATMAID's server blocks among `servers`: those named `serverName`; else those serving its static folder, or
 * passing to its upstream; else (with `lone`) the only one that hands anything to an application.
 */
export function catmaidServers(servers: NginxNode[], options: FindOptions, lone: boolean): { servers: NginxNode[]; by?: MatchedBy } {
  const blocks = servers.filter((s) => s.children);
  const byName = blocks.filter((s) => (s.children ?? []).some((c) => c.name === 'server_name' && c.args.includes(options.serverName)));
  if (byName.length > 0) return { servers: byName, by: 'server_name' };
  const roots = (options.staticRoots ?? []).map(strip);
  const byStatic = blocks.filter((s) => findAll(s.children ?? [], 'alias').some((a) => roots.includes(strip(a.args[0] ?? ''))));
  if (byStatic.length > 0) return { servers: byStatic, by: 'static' };
  if (options.upstream) {
    const want = bareUpstream(options.upstream);
    const byUpstream = blocks.filter((s) => passesOf(s).some((p) => bareUpstream(p.args[0] ?? '') === want));
    if (byUpstream.length > 0) return { servers: byUpstream, by: 'upstream' };
  }
  const reaching = blocks.filter((s) => passesOf(s).length > 0);
  return lone && reaching.length === 1 ? { servers: reaching, by: 'django' } : { servers: [] };
}

/** The server blocks of a parsed file. */
export const serversOf = (tree: NginxNode[]): NginxNode[] => findAll(tree, 'server').filter((s) => s.children);
