import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { CliError, EXIT, RefusedError } from '../errors.js';
import { catmaidServers, serversOf } from './catmaid-servers.js';
import { applyEdits, insertAfter, type Edit } from './django-locations.js';
import type { ListenPlan } from './listen.js';
import { acmeLocation, redirectServer } from './nginx-config.js';
import { findAll, parseNginx, type NginxNode } from './nginx-parse.js';

/**
 * Before certbot asks Let's Encrypt, the running nginx must serve the webroot's challenge files on port 80 for
 * the name, whatever the site does today: the CATMAID block that serves plain http gets the challenge location,
 * a redirect-only block gets it in front of its redirect, and a site without port 80 gets a small redirect server.
 * Everything else stays as it is until the certificate is there.
 */
const ACME = '/.well-known/acme-challenge';
const isRedirect = (n: NginxNode): boolean => n.name === 'return' || n.name === 'rewrite' || (n.name === 'if' && findAll(n.children ?? [], 'return').length > 0);
const plainListen = (s: NginxNode): boolean => {
  const listens = (s.children ?? []).filter((c) => c.name === 'listen');
  return listens.length === 0 || listens.some((l) => !l.args.slice(1).includes('ssl'));
};

function challengeEdits(content: string, server: NginxNode, webroot: string): Edit[] {
  const kids = server.children ?? [];
  const location = acmeLocation(webroot).map((l) => l.slice(4));
  const existing = kids.find((c) => c.name === 'location' && (c.args.at(-1) ?? '').startsWith(ACME));
  if (existing) {
    const indent = /[ \t]*$/.exec(content.slice(0, existing.start))?.[0] ?? '';
    return [{ start: existing.start, end: existing.end, text: location.join(`\n${indent}`) }];
  }
  const redirects = kids.filter(isRedirect);
  const anchor = kids.filter((c) => c.name === 'server_name' || c.name === 'listen').at(-1) ?? kids[0];
  const edits: Edit[] = [];
  if (redirects.length > 0) {
    // Server-level redirects run before any location is chosen: they move into `location /`.
    if (kids.some((c) => c.name === 'location' && c.args.length === 1 && c.args[0] === '/')) {
      throw new RefusedError('the port-80 server block redirects at server level and has a `location /` too', 'serve /.well-known/acme-challenge/ from the webroot yourself, or use --cert/--key');
    }
    for (const r of redirects) edits.push({ start: r.start, end: r.end, text: '' });
    location.push('location / {', ...redirects.map((r) => `    ${content.slice(r.start, r.end)}`), '}');
  }
  if (!anchor) throw new RefusedError('an empty server block serves the name', 'give it a server_name');
  edits.push(insertAfter(content, anchor, location));
  return edits;
}

/** The site file as it must be while certbot proves the domain. */
export function challengeSite(old: string | null, serverName: string, webroot: string, listen: ListenPlan): string {
  const redirectBlock = () => `${redirectServer({ serverName, listen, acmeWebroot: webroot }, serverName).join('\n')}\n`;
  if (old === null || old.trim() === '') return redirectBlock();
  const servers = catmaidServers(serversOf(parseNginx(old)), { serverName }, false).servers.filter(plainListen);
  if (servers.length === 0) return `${old.endsWith('\n') ? old : `${old}\n`}\n${redirectBlock()}`;
  return applyEdits(old, servers.flatMap((s) => challengeEdits(old, s, webroot)));
}

function get(url: URL, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || 80, path: url.pathname, headers: { host }, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

/** Where to reach the redirect server from this machine: its first listen address (any address → loopback). */
export function challengeUrl(listen: ListenPlan, file: string): URL {
  const spec = listen.redirect[0]?.[0] ?? '80';
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(spec);
  let host = '127.0.0.1';
  let port = spec;
  if (v6) [host, port] = [v6[1] === '::' ? '[::1]' : `[${v6[1]}]`, v6[2] ?? '80'];
  else if (spec.includes(':')) [host, port] = spec.split(':');
  if (host === '*' || host === '0.0.0.0') host = '127.0.0.1';
  return new URL(`http://${host}:${port}${ACME}/${file}`);
}

/**
 * Prove that nginx serves the webroot's challenge folder for the name before Let's Encrypt is asked (failed
 * validations count against its rate limits): a file of our own is fetched through nginx, then removed.
 */
export async function selfCheck(webroot: string, serverName: string, listen: ListenPlan, timeoutMs = 5000): Promise<void> {
  const dir = path.join(webroot, ACME.slice(1));
  await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  const name = `catmaid-tui-check-${crypto.randomBytes(6).toString('hex')}`;
  const token = crypto.randomBytes(12).toString('hex');
  await fs.writeFile(path.join(dir, name), token, { mode: 0o644 });
  const url = challengeUrl(listen, name);
  const deadline = Date.now() + timeoutMs;
  let last = '';
  try {
    for (;;) {
      const got = await get(url, serverName).catch((err: Error) => ({ status: 0, body: err.message }));
      if (got.status === 200 && got.body === token) return;
      last = got.status ? `HTTP ${got.status}` : got.body;
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await fs.rm(path.join(dir, name), { force: true });
  }
  throw new CliError(`nginx does not serve ${webroot}${ACME}/ for ${serverName} (${url.origin}: ${last})`, EXIT.failed, 'nothing was asked from Let\'s Encrypt; check the port-80 server block');
}
