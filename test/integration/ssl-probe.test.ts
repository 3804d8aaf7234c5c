import fs from 'node:fs/promises';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planListen } from '../../src/tasks/ssl/listen.js';
import { generateSiteConfig } from '../../src/tasks/ssl/nginx-config.js';
import { http2Style, nginxVersion } from '../../src/tasks/ssl/nginx-version.js';
import { gradeOf } from '../../src/tasks/ssl/probe/grade.js';
import { probeSite } from '../../src/tasks/ssl/probe/probe.js';
import { installSiteFile } from '../../src/tasks/ssl/site-install.js';
import { freePort, makeCaAndLeaf, privateNginx, tempDir, type PrivateNginx } from './ssl-fixtures.js';

/** The probe against the site catmaid-tui writes (a CA-signed certificate, HSTS) and against servers that do worse. */
const NAME = 'catmaid.test';
let dir: string;
let nginx: PrivateNginx;
let ca: string;
let ports: { https: number; http: number };
const servers: tls.Server[] = [];

const sockets = new Set<import('node:net').Socket>();

async function tlsServer(options: tls.TlsOptions, onOcsp?: boolean): Promise<number> {
  const server = tls.createServer(options, (s) => s.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n'));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  if (onOcsp) server.on('OCSPRequest', (_cert: Buffer, _issuer: Buffer, done: (err: Error | null, resp?: Buffer) => void) => done(null, Buffer.from('a stapled response')));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

beforeAll(async () => {
  dir = await tempDir('ssl-probe');
  await makeCaAndLeaf(dir, NAME);
  ca = await fs.readFile(path.join(dir, 'ca.crt'), 'utf8');
  await fs.writeFile(path.join(dir, 'chain.crt'), (await fs.readFile(path.join(dir, 'leaf.crt'), 'utf8')) + ca);
  ports = { https: await freePort(), http: await freePort() };
  const site = path.join(dir, 'site.conf');
  await fs.writeFile(site, '');
  nginx = await privateNginx(dir, site);
  const version = await nginxVersion(nginx.command);
  const config = generateSiteConfig({
    serverName: NAME,
    files: { certificate: path.join(dir, 'chain.crt'), key: path.join(dir, 'leaf.key') },
    nginxVersion: version,
    hsts: true,
    listen: planListen([], { address: '127.0.0.1', httpsPort: ports.https, httpPort: ports.http }, http2Style(version), false),
    django: { path: '/', upstream: { kind: 'http', address: '127.0.0.1:9' } },
  });
  await installSiteFile(nginx.command, site, config);
  await nginx.start();
});

afterAll(async () => {
  await nginx?.stop();
  for (const socket of sockets) socket.destroy();
  for (const s of servers) await new Promise((resolve) => s.close(resolve));
  await fs.rm(dir, { recursive: true, force: true });
});

describe('ssl probe', () => {
  it("grades the site catmaid-tui writes A+: TLS 1.0/1.1 refused, AEAD ciphers, trusted chain, HSTS, redirect, HTTP/2", async () => {
    const report = await probeSite({ url: `https://${NAME}:${ports.https}/catmaid/`, connect: '127.0.0.1', httpPort: ports.http, ca: [ca] });
    expect(report.grade).toBe('A+');
    expect(report.protocols.map((p) => [p.version, p.accepted])).toEqual([['TLSv1', false], ['TLSv1.1', false], ['TLSv1.2', true], ['TLSv1.3', true]]);
    expect(report.protocols[2].cipher).toMatch(/^TLS_ECDHE_RSA_WITH_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)$/);
    expect(report.protocols[3].cipher).toMatch(/^TLS_(AES|CHACHA20)/);
    expect(report.certificate).toMatchObject({ trusted: true, nameMatches: true, chain: [{ subject: `CN=${NAME}` }, { subject: 'CN=Test CA' }] });
    expect(report.certificate?.daysLeft).toBeGreaterThan(25);
    expect(report.hsts.maxAge).toBe(63072000);
    expect(report.redirect).toMatchObject({ ok: true, status: 301, location: `https://${NAME}:${ports.https}/catmaid/` });
    expect(report.http2).toBe(true);
    expect(report.ocsp).toEqual({ stapled: false, responderInCertificate: false });
    expect(report.checks.filter((c) => c.level === 'fail' || c.level === 'warn')).toEqual([]);
    expect(report.reasons).toEqual(expect.arrayContaining(['HSTS for 63072000 s (six months or more)']));
  });

  it('grades a server that accepts TLS 1.0 and RSA key exchange B, one whose certificate names another host T, and says why', async () => {
    const key = await fs.readFile(path.join(dir, 'leaf.key'));
    const cert = await fs.readFile(path.join(dir, 'chain.crt'));
    const old = await tlsServer({ key, cert, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
    const weak = await probeSite({ url: `https://${NAME}:${old}/`, connect: '127.0.0.1', httpPort: 9, ca: [ca] });
    expect(weak.grade).toBe('B');
    expect(weak.reasons).toEqual(expect.arrayContaining(['B: TLS 1.0 or 1.1 is accepted (deprecated by RFC 8996)', 'B: ciphers without forward secrecy (RSA key exchange) are accepted']));
    expect(weak.checks.find((c) => c.id === 'protocol.TLSv1')).toMatchObject({ level: 'fail', text: expect.stringMatching(/^TLS 1\.0: accepted \(.+\): must be refused$/) });
    expect(weak.checks.find((c) => c.id === 'redirect')?.level).toBe('warn');
    const stranger = await probeSite({ url: `https://other.test:${old}/`, connect: '127.0.0.1', httpPort: 9, ca: [ca] });
    expect(stranger.grade).toBe('T');
    expect(stranger.checks.find((c) => c.id === 'certificate.name')).toMatchObject({ level: 'fail' });
  });

  it('sees a stapled OCSP response, and an untrusted chain without the CA', async () => {
    const key = await fs.readFile(path.join(dir, 'leaf.key'));
    const cert = await fs.readFile(path.join(dir, 'chain.crt'));
    const stapling = await tlsServer({ key, cert }, true);
    const report = await probeSite({ url: `https://${NAME}:${stapling}/`, connect: '127.0.0.1', httpPort: 9 });
    expect(report.ocsp.stapled).toBe(true);
    expect(report.grade).toBe('T');
    expect(report.checks.find((c) => c.id === 'certificate.chain')?.text).toMatch(/^not trusted: /);
  });

  it('the grade rubric: F for an expired certificate whatever else, A- without TLS 1.3, A+ only with six months of HSTS', () => {
    const good = { accepted: { TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true }, weak: { noForwardSecrecy: false, legacy: false, cbc: false }, aead: true, expired: false, trusted: true, nameMatches: true };
    expect(gradeOf({ ...good, expired: true }).grade).toBe('F');
    expect(gradeOf({ ...good, accepted: { ...good.accepted, 'TLSv1.3': false } })).toEqual({ grade: 'A-', reasons: ['A-: TLS 1.3 is not accepted'] });
    expect(gradeOf({ ...good, hstsMaxAge: 86400 }).grade).toBe('A');
    expect(gradeOf({ ...good, hstsMaxAge: 15768000 }).grade).toBe('A+');
    expect(gradeOf({ ...good, weak: { ...good.weak, legacy: true } }).grade).toBe('C');
  });
});
