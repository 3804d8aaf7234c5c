import fs from 'node:fs';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { renewalHookPath, type CertbotSetup } from './certbot.js';
import { EXPIRY_FAIL_DAYS, EXPIRY_WARNING_DAYS } from './certificate.js';
import { readRunningConfig } from './nginx-read.js';
import type { NginxCommand } from './nginx-version.js';
import type { SslRecord } from './record.js';
import { renewalSchedule, type RenewalSchedule, type ScheduleProbe } from './renewal.js';

/** A certificate nginx serves for CATMAID, how long it lasts, and who renews it. */
export interface ServedCertificate {
  serverName: string;
  file: string;
  subject?: string;
  issuer?: string;
  notAfter?: string;
  daysLeft?: number;
  /** ok; warn under 21 days; fail under 7 days, expired, or unreadable. */
  level: 'ok' | 'warn' | 'fail';
  message: string;
  /** Present when certbot keeps the file current (it lies in <config>/live/<name>/). */
  certbot?: { configDir: string; lineage: string; renewalConf: boolean; hook: string | null };
}

export interface SslStatus {
  /** Where the certificates were found: catmaid-tui's record of its last setup, or the running nginx. */
  source: 'record' | 'nginx -T' | 'none';
  note?: string;
  certificates: ServedCertificate[];
  /** certbot's schedule, when a certificate is certbot's; null otherwise. */
  renewal: RenewalSchedule | null;
}

const DAY = 86_400_000;

export function expiryLevel(daysLeft: number): ServedCertificate['level'] {
  return daysLeft < EXPIRY_FAIL_DAYS ? 'fail' : daysLeft < EXPIRY_WARNING_DAYS ? 'warn' : 'ok';
}

function certbotOf(file: string, name: string): ServedCertificate['certbot'] {
  const m = /^(.*)\/live\/([^/]+)\/(fullchain|cert)\.pem$/.exec(file);
  if (!m) return undefined;
  const [, configDir, lineage] = m;
  const setup: CertbotSetup = { binary: 'certbot', configDir };
  const hook = [renewalHookPath(setup, lineage), renewalHookPath(setup, name)].find((f) => fs.existsSync(f)) ?? null;
  return { configDir, lineage, renewalConf: fs.existsSync(path.join(configDir, 'renewal', `${lineage}.conf`)), hook };
}

/** One certificate file, read and judged against `now`. */
export function servedCertificate(serverName: string, file: string, now = new Date()): ServedCertificate {
  const certbot = certbotOf(file, serverName);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(fs.readFileSync(file));
  } catch (err) {
    return { serverName, file, level: 'fail', message: `cannot read ${file}: ${(err as Error).message}`, certbot };
  }
  const daysLeft = Math.floor((new Date(cert.validTo).getTime() - now.getTime()) / DAY);
  const level = expiryLevel(daysLeft);
  const notAfter = new Date(cert.validTo).toISOString();
  const message = daysLeft < 0 ? `expired on ${notAfter.slice(0, 10)}` : `valid until ${notAfter.slice(0, 10)} (${daysLeft} days left)`;
  return { serverName, file, subject: cert.subject.replace(/\n/g, ', '), issuer: cert.issuer.replace(/\n/g, ', '), notAfter, daysLeft, level, message, certbot };
}

export interface StatusInputs {
  record: SslRecord | null;
  /** The names to look for in nginx -T when there is no record (ALLOWED_HOSTS). */
  serverNames: string[];
  nginx?: NginxCommand;
  /** How to look for certbot's schedule; asked only when a certificate is certbot's. */
  probe: () => Promise<ScheduleProbe>;
  now?: Date;
}

/** Certificates nginx serves for the TLS server blocks named in `names` (their ssl_certificate). */
async function fromNginx(nginx: NginxCommand, names: string[]): Promise<{ found: [string, string][]; error?: string }> {
  const found: [string, string][] = [];
  for (const name of names) {
    const reading = await readRunningConfig(nginx, { serverName: name });
    if (!reading.ok) return { found, error: reading.error };
    for (const s of reading.servers) if (s.certificate && s.matchedBy === 'server_name') found.push([name, s.certificate]);
  }
  return { found: [...new Map(found.map((f) => [f.join('\0'), f])).values()] };
}

export async function readSslStatus(inputs: StatusInputs): Promise<SslStatus> {
  let source: SslStatus['source'] = 'none';
  let note: string | undefined;
  let files: [string, string][] = [];
  if (inputs.record) {
    source = 'record';
    files = [[inputs.record.serverName, inputs.record.certificate]];
  } else if (inputs.nginx) {
    const names = inputs.serverNames.filter((n) => n !== '*' && !n.startsWith('.') && n !== 'localhost');
    const read = await fromNginx(inputs.nginx, names);
    files = read.found;
    source = files.length > 0 ? 'nginx -T' : 'none';
    if (read.error) note = `nginx -T failed (${read.error}); run as root, or set HTTPS up with catmaid-tui ssl`;
  }
  const certificates = files.map(([name, file]) => servedCertificate(name, file, inputs.now));
  const renewal = certificates.some((c) => c.certbot) ? await renewalSchedule(await inputs.probe()) : null;
  return { source, ...(note ? { note } : {}), certificates, renewal };
}
