import fs from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../src/tasks/errors.js';
import { planListen, type ListenRequest } from '../../src/tasks/ssl/listen.js';
import { generateSiteConfig, parseUpstream, type SiteOptions, type Upstream } from '../../src/tasks/ssl/nginx-config.js';
import { http2Style, nginxVersion, type NginxVersion } from '../../src/tasks/ssl/nginx-version.js';
import { createSelfSigned } from '../../src/tasks/ssl/self-signed.js';
import { installSiteFile } from '../../src/tasks/ssl/site-install.js';
import { freePort, privateNginx, tempDir, type PrivateNginx } from './ssl-fixtures.js';

const NAME = 'catmaid.test';

let dir: string;
let certPem: Buffer;
let nginx: PrivateNginx;
let version: NginxVersion;
let upstream: http.Server;
let ports: { https: number; http: number; upstream: number };
const siteFile = () => path.join(dir, 'site', 'catmaid.conf');
const files = () => ({ certificate: path.join(dir, 'tls', `${NAME}.crt`), key: path.join(dir, 'tls', `${NAME}.key`) });

interface Over extends Partial<Omit<SiteOptions, 'listen'>> {
  upstream?: Upstream;
  listen?: ListenRequest | null;
  certificate?: string;
}

/** A new site: the Django location at / for the upstream, static folders, on the test's ports. */
function site(over: Over = {}): string {
  const { upstream, listen, certificate, ...rest } = over;
  return generateSiteConfig({
    serverName: NAME,
    files: { ...files(), ...(certificate ? { certificate } : {}) },
    nginxVersion: version,
    hsts: true,
    listen: planListen([], listen === null ? undefined : listen ?? { address: '127.0.0.1', httpsPort: ports.https, httpPort: ports.http }, http2Style(version), false),
    statics: [
      { url: '/static/', dir: path.join(dir, 'static'), what: 'STATIC_URL/STATIC_ROOT' },
      { url: '/staticext/', dir: path.join(dir, 'staticext'), what: 'STATIC_EXTENSION_URL/STATIC_EXTENSION_ROOT' },
    ],
    django: { path: '/', upstream: upstream ?? parseUpstream(`127.0.0.1:${ports.upstream}`) },
    ...rest,
  });
}

beforeAll(async () => {
  dir = await tempDir('ssl-e2e');
  await fs.mkdir(path.join(dir, 'site'));
  ports = { https: await freePort(), http: await freePort(), upstream: 0 };
  // The upstream echoes what nginx told it, the way Django would see it.
  upstream = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ proto: req.headers['x-forwarded-proto'], host: req.headers.host, xff: req.headers['x-forwarded-for'] }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  ports.upstream = (upstream.address() as { port: number }).port;
  await createSelfSigned(NAME, files(), 2);
  certPem = await fs.readFile(files().certificate);
  await fs.writeFile(siteFile(), '# placeholder\n');
  nginx = await privateNginx(dir, siteFile());
  version = await nginxVersion(nginx.command);
  await installSiteFile(nginx.command, siteFile(), site());
  await nginx.start();
});

afterAll(async () => {
  await nginx?.stop();
  await new Promise((resolve) => upstream?.close(resolve));
  await fs.rm(dir, { recursive: true, force: true });
});

function connect(options: tls.ConnectionOptions): Promise<{ protocol: string | null; alpn: string | false | null }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: ports.https, servername: NAME, ca: certPem, ...options }, () => {
      resolve({ protocol: socket.getProtocol(), alpn: socket.alpnProtocol });
      socket.end();
    });
    socket.on('error', reject);
  });
}

/** Another private nginx (never started) whose only site is variant/site.conf: for `nginx -t` alone. */
async function separateNginx(): Promise<PrivateNginx> {
  const prefix = path.join(dir, 'variant');
  await fs.rm(prefix, { recursive: true, force: true });
  await fs.mkdir(prefix);
  return privateNginx(prefix, path.join(prefix, 'site.conf'));
}

const OLD_CLIENT: tls.ConnectionOptions = { ciphers: 'DEFAULT@SECLEVEL=0', rejectUnauthorized: false };

describe('a CATMAID server behind the generated nginx configuration', () => {
  it('passes nginx -t in every variant (uwsgi, without HSTS, without static folders, all addresses)', async () => {
    const variants = [
      site({ hsts: false }),
      site({ upstream: parseUpstream('uwsgi://127.0.0.1:8001') }),
      site({ statics: [] }),
      site({ listen: null }),
    ];
    for (const variant of variants) {
      const result = await installSiteFile((await separateNginx()).command, path.join(dir, 'variant', 'site.conf'), variant);
      expect(result.test).toMatch(/test is successful/);
    }
  });

  it('speaks TLS 1.2 and TLS 1.3, and HTTP/2 by ALPN', async () => {
    expect(await connect({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' })).toMatchObject({ protocol: 'TLSv1.2' });
    expect(await connect({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', ALPNProtocols: ['h2', 'http/1.1'] })).toEqual({ protocol: 'TLSv1.3', alpn: 'h2' });
  });

  it('refuses TLS 1.0 and 1.1 from a client that offers them (shown against a server that accepts them)', async () => {
    // Node's OpenSSL only offers TLS 1.0/1.1 at security level 0; the control server proves this client can.
    const key = await fs.readFile(files().key);
    const control = tls.createServer({ key, cert: certPem, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }, (s) => s.end());
    await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
    const controlPort = (control.address() as { port: number }).port;
    try {
      for (const v of ['TLSv1', 'TLSv1.1'] as const) {
        const accepted = await connect({ ...OLD_CLIENT, port: controlPort, minVersion: v, maxVersion: v });
        expect(accepted.protocol).toBe(v);
        await expect(connect({ ...OLD_CLIENT, minVersion: v, maxVersion: v })).rejects.toThrow(/protocol version|unsupported protocol|alert/i);
      }
    } finally {
      await new Promise((resolve) => control.close(resolve));
    }
  });

  it('redirects http to https with a 301, keeping the path', async () => {
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: ports.http, path: '/project/1?x=2', headers: { host: NAME } }, resolve).on('error', reject);
    });
    response.resume();
    expect(response.statusCode).toBe(301);
    expect(response.headers.location).toBe(`https://${NAME}:${ports.https}/project/1?x=2`);
  });

  it('tells Django the request came over https even when the client claims http, and sends HSTS', async () => {
    const { body, headers } = await new Promise<{ body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
      const req = https.request(
        { host: '127.0.0.1', port: ports.https, servername: NAME, ca: certPem, path: '/', headers: { host: NAME, 'x-forwarded-proto': 'http' } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ body: text, headers: res.headers }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(body)).toEqual({ proto: 'https', host: NAME, xff: '127.0.0.1' });
    expect(headers['strict-transport-security']).toBe('max-age=63072000');
  });

  it('puts the old site file back byte for byte when nginx -t rejects the new one (bad certificate path)', async () => {
    const separate = await separateNginx();
    const file = path.join(dir, 'variant', 'site.conf');
    const old = Buffer.from("# the admin's file\r\nserver { listen 127.0.0.1:1; server_name old.test; }\n\t\n");
    await fs.writeFile(file, old, { mode: 0o640 });
    const before = await fs.readdir(path.join(dir, 'variant'));
    process.env.XDG_STATE_HOME = path.join(dir, 'state');
    const broken = site({ certificate: path.join(dir, 'tls', 'missing.crt') });
    const failure = await installSiteFile(separate.command, file, broken).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(CliError);
    expect((failure as CliError).message).toMatch(/old site file was put back/);
    expect((failure as CliError).hint).toMatch(/missing\.crt/);
    expect((await fs.readFile(file)).equals(old)).toBe(true);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o640);
    expect(await fs.readdir(path.join(dir, 'variant'))).toEqual(before);
  });
});
