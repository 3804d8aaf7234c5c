import path from 'node:path';
import { execa } from 'execa';
import { oneLine } from '../errors.js';
import { catmaidServers, passesOf, serversOf, type FindOptions, type MatchedBy } from './catmaid-servers.js';
import { httpBlock, type IncludeSource } from './nginx-includes.js';
import { parseNginx, splitDump, type NginxNode } from './nginx-parse.js';
import type { NginxCommand } from './nginx-version.js';

/** A server block that serves CATMAID, as found in the running configuration. */
export interface FoundServer {
  file: string;
  line: number;
  serverNames: string[];
  listens: string[];
  /** The first `proxy_pass` or `uwsgi_pass` target, when there is one. */
  upstream?: { kind: 'http' | 'uwsgi'; address: string };
  /** `location <url> { alias|root <dir>; }` pairs. */
  locations: { url: string; dir?: string }[];
  /** `ssl_certificate` of the block, when it speaks TLS. */
  certificate?: string;
  matchedBy: MatchedBy;
}

export interface NginxReading {
  /** False when `nginx -T` failed (e.g. an ordinary user cannot read the keys); `error` says why. */
  ok: boolean;
  error?: string;
  files: string[];
  servers: FoundServer[];
  /** What includes resolve to (the printed files), and nginx.conf's http block. */
  includes: IncludeSource;
  http?: NginxNode;
}

function describe(file: string, server: NginxNode, matchedBy: MatchedBy): FoundServer {
  const children = server.children ?? [];
  const locations = children
    .filter((c) => c.name === 'location' && c.children)
    .map((loc) => ({ url: loc.args[loc.args.length - 1], dir: loc.children?.find((c) => c.name === 'alias' || c.name === 'root')?.args[0] }));
  const pass = passesOf(server).find((p) => p.name === 'proxy_pass' || p.name === 'uwsgi_pass');
  return {
    file,
    line: server.line,
    serverNames: children.filter((c) => c.name === 'server_name').flatMap((c) => c.args),
    listens: children.filter((c) => c.name === 'listen').map((c) => c.args.join(' ')),
    upstream: pass ? { kind: pass.name === 'uwsgi_pass' ? 'uwsgi' : 'http', address: pass.args[0] ?? '' } : undefined,
    locations,
    certificate: children.find((c) => c.name === 'ssl_certificate')?.args[0],
    matchedBy,
  };
}

/** CATMAID's server blocks across the printed files (the lone-server rule only when one block in all of them qualifies). */
export function findCatmaidServers(files: { file: string; content: string }[], options: FindOptions): FoundServer[] {
  const parsed = files.flatMap(({ file, content }) => {
    try {
      return [{ file, servers: serversOf(parseNginx(content)) }];
    } catch {
      return [];
    }
  });
  const matched = parsed.map((p) => ({ ...p, ...catmaidServers(p.servers, options, false) }));
  const strong = matched.filter((m) => m.servers.length > 0);
  const best = (['server_name', 'static', 'upstream'] as MatchedBy[]).map((by) => strong.filter((m) => m.by === by)).find((l) => l.length > 0);
  if (best) return best.flatMap((m) => m.servers.map((s) => describe(m.file, s, m.by as MatchedBy)));
  const reaching = parsed.flatMap((p) => p.servers.filter((s) => passesOf(s).length > 0).map((s) => ({ file: p.file, s })));
  return reaching.length === 1 ? [describe(reaching[0].file, reaching[0].s, 'django')] : [];
}

/** Where `-c` says nginx.conf is, else nginx -T's first file, else Debian's /etc/nginx. */
function confDirOf(nginx: NginxCommand, first: string | undefined): string {
  const c = nginx.configArgs.indexOf('-c');
  if (c >= 0 && nginx.configArgs[c + 1]) return path.dirname(nginx.configArgs[c + 1]);
  return first ? path.dirname(first) : '/etc/nginx';
}

/** Read the configuration nginx would load (`nginx -T`) and find CATMAID's server blocks in it. */
export async function readRunningConfig(nginx: NginxCommand, options: FindOptions): Promise<NginxReading> {
  const result = await execa(nginx.binary, [...nginx.configArgs, '-T'], { reject: false });
  if (result.exitCode !== 0) {
    const error = oneLine(result.stderr || `nginx -T exited with ${result.exitCode}`);
    return { ok: false, error, files: [], servers: [], includes: { confDir: confDirOf(nginx, undefined), files: new Map() } };
  }
  const files = splitDump(result.stdout);
  return {
    ok: true,
    files: files.map((f) => f.file),
    servers: findCatmaidServers(files, options),
    includes: { confDir: confDirOf(nginx, files[0]?.file), files: new Map(files.map((f) => [f.file, f.content])) },
    http: httpBlock(files[0]?.content),
  };
}
