import type { SecureVersion } from 'node:tls';
import { UsageError } from '../../errors.js';
import { EXPIRY_WARNING_DAYS } from '../certificate.js';
import { gradeOf, type Grade } from './grade.js';
import { handshake, type Handshake, type HandshakeOptions } from './handshake.js';
import { fetchHttp, fetchHttps, hstsMaxAge } from './http-checks.js';

/**
 * A local, scriptable stand-in for the SSL Labs test the administration manual ends with: handshakes per protocol
 * and cipher family, the certificate as a client sees it, OCSP stapling, HSTS, the http → https redirect and
 * HTTP/2, then a grade with its reasons.
 */
export interface ProbeOptions {
  url: string;
  /** Connect here instead of resolving the name (like curl --resolve); SNI and Host keep the name. */
  connect?: string;
  /** Port of the plain-http site for the redirect check (default 80). */
  httpPort?: number;
  /** Extra trusted CA certificates (PEM): a test CA, an in-house one. */
  ca?: string[];
  now?: Date;
}

export interface ProbeCheck {
  id: string;
  level: 'ok' | 'warn' | 'fail' | 'info';
  text: string;
}

export interface ProbeReport {
  schema: 'catmaid-tui/ssl-probe@1';
  url: string;
  protocols: { version: string; accepted: boolean; cipher?: string; error?: string }[];
  certificate: { subject: string; issuer: string; notAfter: string; daysLeft: number; trusted: boolean; verifyError?: string; nameMatches: boolean; chain: { subject: string; issuer: string }[] } | null;
  ocsp: { stapled: boolean; responderInCertificate: boolean };
  hsts: { header?: string; maxAge?: number };
  redirect: { url: string; status?: number; location?: string; ok: boolean; error?: string };
  http2: boolean;
  grade: Grade;
  reasons: string[];
  checks: ProbeCheck[];
}

const VERSIONS: SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
const LEGACY_CLIENT = 'DEFAULT@SECLEVEL=0';
const FAMILIES = {
  noForwardSecrecy: 'AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:AES128-SHA:AES256-SHA:@SECLEVEL=0',
  legacy: 'DES-CBC3-SHA:ECDHE-RSA-DES-CBC3-SHA:ECDHE-ECDSA-DES-CBC3-SHA:RC4-SHA:RC4-MD5:NULL-SHA:NULL-SHA256:@SECLEVEL=0',
  cbc: 'ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES256-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES256-SHA384',
};
const DAY = 86_400_000;
const NAMES: Record<string, string> = { TLSv1: 'TLS 1.0', 'TLSv1.1': 'TLS 1.1', 'TLSv1.2': 'TLS 1.2', 'TLSv1.3': 'TLS 1.3' };

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw new UsageError(`not a URL: ${text}`, 'e.g. https://catmaid.example.org/catmaid/');
  }
  if (url.protocol !== 'https:') throw new UsageError(`${text}: the probe needs an https:// URL`);
  return url;
}

const isAead = (cipher: string | undefined): boolean => !!cipher && (/GCM|CHACHA20|CCM/.test(cipher) || cipher.startsWith('TLS_'));

function certificateOf(main: Handshake, host: string, now: Date): ProbeReport['certificate'] {
  if (!main.ok || !main.leaf) return null;
  const leaf = main.leaf;
  const nameMatches = /^\d+(\.\d+){3}$/.test(host) ? !!leaf.checkIP(host) : !!leaf.checkHost(host);
  const notAfter = new Date(leaf.validTo);
  const expired = notAfter < now || new Date(leaf.validFrom) > now;
  return {
    subject: leaf.subject.replace(/\n/g, ', '),
    issuer: leaf.issuer.replace(/\n/g, ', '),
    notAfter: notAfter.toISOString(),
    daysLeft: expired && notAfter < now ? -1 : Math.floor((notAfter.getTime() - now.getTime()) / DAY),
    trusted: main.authorized === true,
    ...(main.authorizationError ? { verifyError: main.authorizationError } : {}),
    nameMatches,
    chain: main.chain ?? [],
  };
}

export async function probeSite(options: ProbeOptions): Promise<ProbeReport> {
  const url = parseUrl(options.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  const base: HandshakeOptions = { host, port, connect: options.connect, ca: options.ca };
  const now = options.now ?? new Date();
  const [main, ...perVersion] = await Promise.all([
    handshake({ ...base, alpn: ['h2', 'http/1.1'], requestOCSP: true }),
    ...VERSIONS.map((v) => handshake({ ...base, minVersion: v, maxVersion: v, ciphers: v === 'TLSv1' || v === 'TLSv1.1' ? LEGACY_CLIENT : undefined })),
  ]);
  const families = await Promise.all(
    Object.values(FAMILIES).map((ciphers) => handshake({ ...base, minVersion: 'TLSv1', maxVersion: 'TLSv1.2', ciphers })),
  );
  const [noFs, legacy, cbc] = families.map((h) => h.ok);
  const protocols = VERSIONS.map((v, i) => ({ version: v, accepted: perVersion[i].ok, cipher: perVersion[i].cipher, ...(perVersion[i].ok ? {} : { error: perVersion[i].error }) }));
  const certificate = certificateOf(main, host, now);
  const https = await fetchHttps({ host, port, path: url.pathname + url.search, connect: options.connect }, options.ca);
  const httpUrl = `http://${url.hostname}${options.httpPort && options.httpPort !== 80 ? `:${options.httpPort}` : ''}${url.pathname}${url.search}`;
  const plain = await fetchHttp({ host, port: options.httpPort ?? 80, path: url.pathname + url.search, connect: options.connect });
  const httpsOrigin = `https://${url.host}`;
  const redirectOk = plain.ok && [301, 302, 307, 308].includes(plain.status ?? 0) && (plain.location ?? '').startsWith(httpsOrigin);
  const maxAge = hstsMaxAge(https.hsts);
  const accepted = Object.fromEntries(protocols.map((p) => [p.version, p.accepted])) as Record<'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3', boolean>;
  const { grade, reasons } = gradeOf({
    accepted,
    weak: { noForwardSecrecy: noFs, legacy, cbc },
    aead: protocols.some((p) => p.accepted && isAead(p.cipher)),
    expired: !certificate || (certificate.daysLeft < 0),
    trusted: certificate?.trusted ?? false,
    nameMatches: certificate?.nameMatches ?? false,
    hstsMaxAge: maxAge,
  });
  const report: ProbeReport = {
    schema: 'catmaid-tui/ssl-probe@1',
    url: url.toString(),
    protocols,
    certificate,
    ocsp: { stapled: (main.ocspBytes ?? 0) > 0, responderInCertificate: /OCSP - URI:/.test(main.leaf?.infoAccess ?? '') },
    hsts: { header: https.hsts, maxAge },
    redirect: { url: httpUrl, status: plain.status, location: plain.location, ok: redirectOk, ...(plain.error ? { error: plain.error } : {}) },
    http2: main.alpn === 'h2',
    grade,
    reasons,
    checks: [],
  };
  report.checks = probeChecks(report, main, { noFs, legacy, cbc });
  return report;
}

function probeChecks(r: ProbeReport, main: Handshake, weak: { noFs: boolean; legacy: boolean; cbc: boolean }): ProbeCheck[] {
  const checks: ProbeCheck[] = r.protocols.map((p) => {
    const old = p.version === 'TLSv1' || p.version === 'TLSv1.1';
    if (old) return { id: `protocol.${p.version}`, level: p.accepted ? 'fail' : 'ok', text: `${NAMES[p.version]}: ${p.accepted ? `accepted (${p.cipher}): must be refused` : 'refused'}` };
    return { id: `protocol.${p.version}`, level: p.accepted ? 'ok' : p.version === 'TLSv1.2' ? 'fail' : 'warn', text: `${NAMES[p.version]}: ${p.accepted ? `accepted, cipher ${p.cipher}` : 'refused'}` };
  });
  checks.push({ id: 'ciphers.forward-secrecy', level: weak.noFs ? 'fail' : 'ok', text: weak.noFs ? 'ciphers without forward secrecy are accepted' : 'no cipher without forward secrecy is accepted' });
  checks.push({ id: 'ciphers.legacy', level: weak.legacy ? 'fail' : 'ok', text: weak.legacy ? '3DES/RC4/NULL ciphers are accepted' : 'no 3DES/RC4/NULL cipher is accepted' });
  if (weak.cbc) checks.push({ id: 'ciphers.cbc', level: 'info', text: 'CBC ciphers (with forward secrecy) are accepted' });
  const c = r.certificate;
  if (!c) checks.push({ id: 'certificate', level: 'fail', text: `no TLS connection: ${main.error ?? 'unknown error'}` });
  else {
    checks.push({ id: 'certificate.chain', level: c.trusted ? 'ok' : 'fail', text: c.trusted ? `chain of ${c.chain.length} to a trusted CA (${c.chain.at(-1)?.subject ?? c.issuer})` : `not trusted: ${c.verifyError}${c.verifyError === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ? ' (the server sends no intermediate certificate: use fullchain.pem)' : ''}` });
    checks.push({ id: 'certificate.name', level: c.nameMatches ? 'ok' : 'fail', text: c.nameMatches ? `names the host (${c.subject})` : `does not name the host (${c.subject})` });
    const expiry = c.daysLeft < 0 ? 'fail' : c.daysLeft < EXPIRY_WARNING_DAYS ? 'warn' : 'ok';
    checks.push({ id: 'certificate.expiry', level: expiry, text: c.daysLeft < 0 ? `expired (${c.notAfter.slice(0, 10)})` : `${c.daysLeft} days to expiry (${c.notAfter.slice(0, 10)})` });
  }
  checks.push(
    r.ocsp.stapled
      ? { id: 'ocsp', level: 'ok', text: 'OCSP response stapled' }
      : r.ocsp.responderInCertificate
        ? { id: 'ocsp', level: 'warn', text: 'the certificate names an OCSP responder but no response is stapled (ssl_stapling on)' }
        : { id: 'ocsp', level: 'info', text: 'no OCSP stapling: the certificate names no OCSP responder (Let\'s Encrypt\'s no longer do), nothing to staple' },
  );
  checks.push(r.hsts.maxAge ? { id: 'hsts', level: 'ok', text: `HSTS max-age=${r.hsts.maxAge}` } : { id: 'hsts', level: 'warn', text: 'no HSTS header' });
  checks.push(
    r.redirect.ok
      ? { id: 'redirect', level: r.redirect.status === 301 || r.redirect.status === 308 ? 'ok' : 'warn', text: `${r.redirect.url} → ${r.redirect.status} ${r.redirect.location}` }
      : { id: 'redirect', level: 'warn', text: `${r.redirect.url} does not redirect to https (${r.redirect.error ?? `HTTP ${r.redirect.status}${r.redirect.location ? ` → ${r.redirect.location}` : ''}`})` },
  );
  checks.push({ id: 'http2', level: r.http2 ? 'ok' : 'warn', text: r.http2 ? 'HTTP/2 (ALPN h2)' : 'no HTTP/2 (ALPN offers no h2)' });
  return checks;
}
