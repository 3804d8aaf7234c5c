import { http2Style, parseNginxVersion } from '../../ssl/nginx-version.js';
import type { Check, CheckupInputs } from '../types.js';
import { catmaidServers, directives, expiresSeconds, hasHttp2, inherited, isTls, readTree, tileLocations } from './nginx-tree.js';

const MANUAL = 'CATMAID admin manual, Performance tuning › Webserver';
const WEEK = 7 * 86400;

function serverName(server: { children?: { name: string; args: string[] }[] }): string {
  return server.children?.find((c) => c.name === 'server_name')?.args[0] ?? '(no server_name)';
}

/** nginx.* checks from `nginx -T`, only when nginx is installed. */
export function nginxChecks(inputs: CheckupInputs): Check[] {
  const { nginx } = inputs;
  if (!nginx.installed) return [];
  if (!nginx.ok) {
    return [
      {
        id: 'nginx.config',
        group: 'web',
        title: 'nginx -T',
        status: 'info',
        current: 'not readable',
        suggested: null,
        why: `nginx is installed but its configuration could not be read (${nginx.error ?? 'nginx -T failed'}); run the checkup as root to include it.`,
        fix: null,
        source: MANUAL,
      },
    ];
  }
  const tree = readTree(nginx.files);
  const servers = catmaidServers(tree, inputs.django.allowedHosts);
  if (servers.length === 0) {
    return [
      { id: 'nginx.config', group: 'web', title: 'nginx', status: 'info', current: 'no server blocks', suggested: null, why: 'nginx serves no site, so there is nothing to check.', fix: null, source: MANUAL },
    ];
  }
  const names = servers.map(serverName).join(', ');
  const checks: Check[] = [];

  const logging = servers.filter((s) => inherited([s.children ?? [], tree.http], 'access_log')[0]?.args[0] !== 'off');
  checks.push({
    id: 'nginx.access_log',
    group: 'web',
    title: 'access_log',
    status: logging.length ? 'info' : 'ok',
    current: logging.length ? `on for ${logging.map(serverName).join(', ')}` : 'off',
    suggested: logging.length ? 'access_log off;' : null,
    why: 'CATMAID makes many small requests per user; under heavy traffic writing each to the access log costs disk I/O. Keep it if you need the log; error_log stays.',
    fix: logging.length ? { kind: 'manual', text: 'access_log off;  # in the CATMAID server block, then: nginx -t && systemctl reload nginx' } : null,
    source: MANUAL,
  });

  const unzipped = servers.filter((s) => {
    const levels = [s.children ?? [], tree.http];
    const on = inherited(levels, 'gzip')[0]?.args[0] === 'on';
    const types = inherited(levels, 'gzip_types').flatMap((d) => d.args);
    return !on || !(types.includes('application/json') || types.includes('*'));
  });
  checks.push({
    id: 'nginx.gzip',
    group: 'web',
    title: 'gzip_types',
    status: unzipped.length ? 'warn' : 'ok',
    current: unzipped.length ? `no gzip of application/json for ${unzipped.map(serverName).join(', ')}` : 'application/json compressed',
    suggested: unzipped.length ? 'gzip on; gzip_types application/json application/octet-stream;' : null,
    why: 'CATMAID\'s API answers are large JSON documents; nginx compresses only text/html unless gzip_types names application/json.',
    fix: unzipped.length
      ? { kind: 'manual', text: 'gzip on;\ngzip_types text/css application/javascript application/json application/octet-stream;  # http or server block' }
      : null,
    source: MANUAL,
  });

  const tls = servers.filter(isTls);
  const slow = tls.filter((s) => !hasHttp2(s, tree.http));
  const version = nginx.version ? parseNginxVersion(`version: nginx/${nginx.version}`) : undefined;
  const style = version ? http2Style(version) : 'directive';
  checks.push({
    id: 'nginx.http2',
    group: 'web',
    title: 'HTTP/2',
    status: tls.length === 0 ? 'info' : slow.length ? 'warn' : 'ok',
    current: tls.length === 0 ? `no TLS server (${names})` : slow.length ? `HTTP/1.1 on ${slow.map(serverName).join(', ')}` : 'on',
    suggested: tls.length === 0 ? 'TLS first (catmaid-tui ssl)' : slow.length ? (style === 'directive' ? 'http2 on;' : 'listen 443 ssl http2;') : null,
    why:
      tls.length === 0
        ? 'Browsers speak HTTP/2 only over TLS; set up TLS first, then HTTP/2 multiplexes CATMAID\'s many requests over one connection.'
        : `HTTP/2 multiplexes CATMAID's many parallel requests over one connection. nginx ${version?.text ?? ''} spells it ${style === 'directive' ? '`http2 on;` (1.25.1 and later)' : '`listen 443 ssl http2;` (before 1.25.1)'}.`,
    fix: slow.length ? { kind: 'manual', text: style === 'directive' ? 'http2 on;  # in the TLS server block' : 'listen 443 ssl http2;' } : null,
    source: `${MANUAL}; nginx docs, ngx_http_v2_module`,
  });

  const tiles = tileLocations(servers, inputs.tilesPath);
  const uncached = tiles.filter((loc) => {
    const expires = inherited([loc.children ?? []], 'expires')[0];
    const headers = directives(loc, 'add_header').filter((d) => d.args[0]?.toLowerCase() === 'cache-control');
    return !expires || expiresSeconds(expires.args) < WEEK || !headers.some((d) => /public/i.test(d.args.slice(1).join(' ')));
  });
  checks.push({
    id: 'nginx.tiles',
    group: 'web',
    title: 'tile caching',
    status: tiles.length === 0 ? 'info' : uncached.length ? 'warn' : 'ok',
    current:
      tiles.length === 0
        ? 'no tile location found'
        : uncached.length
          ? `not cached long: ${uncached.map((l) => l.args.join(' ')).join(', ')}`
          : `${tiles.length} tile location${tiles.length === 1 ? '' : 's'} cached`,
    suggested: tiles.length && uncached.length ? 'expires max; add_header Cache-Control public;' : null,
    why:
      tiles.length === 0
        ? 'No location serves image tiles from this machine (pass --tiles-path DIR when they are served here).'
        : 'Image tiles never change: with a far expiry and Cache-Control public, browsers and proxies keep them instead of asking again.',
    fix: uncached.length ? { kind: 'manual', text: 'expires max;\nadd_header Cache-Control public;  # in the tile location' } : null,
    source: MANUAL,
  });
  return checks;
}
