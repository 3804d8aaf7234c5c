import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import { RefusedError, UsageError } from '../errors.js';

export type CheckLevel = 'ok' | 'warn' | 'fail';

export interface Check {
  id: 'key' | 'dates' | 'names' | 'chain' | 'self-signed' | 'key-mode';
  level: CheckLevel;
  message: string;
}

export interface CertificateReport {
  subject: string;
  issuer: string;
  /** `DNS:…` and `IP Address:…` entries, else the subject's CN. */
  names: string[];
  validTo: string;
  daysLeft: number;
  chainLength: number;
  checks: Check[];
}

/** Warn this many days before the certificate runs out; fail under a week (certbot renews at 30 days left). */
export const EXPIRY_WARNING_DAYS = 21;
export const EXPIRY_FAIL_DAYS = 7;
const DAY = 86_400_000;

export function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

const commonName = (subject: string): string | undefined => /^CN=(.+)$/m.exec(subject)?.[1];

function namesOf(cert: X509Certificate): string[] {
  const san = cert.subjectAltName?.split(/,\s*/).filter((n) => /^(DNS|IP Address):/.test(n)) ?? [];
  if (san.length > 0) return san;
  const cn = commonName(cert.subject);
  return cn ? [`CN:${cn}`] : [];
}

function chainCheck(certs: X509Certificate[]): Check {
  for (let i = 0; i + 1 < certs.length; i++) {
    if (!certs[i].checkIssued(certs[i + 1]) || !certs[i].verify(certs[i + 1].publicKey)) {
      const who = (c: X509Certificate) => commonName(c.subject) ?? c.subject.replace(/\n/g, ', ');
      return {
        id: 'chain',
        level: 'fail',
        message: `certificate ${i + 1} (${who(certs[i])}) is not issued by the next one (${who(certs[i + 1])}): put the server certificate first, then each issuer in order`,
      };
    }
  }
  return { id: 'chain', level: 'ok', message: certs.length > 1 ? `chain of ${certs.length} in order` : 'single certificate (no intermediates in the file)' };
}

/** Everything that can be said about a certificate file and its key before nginx is asked to use them. */
export function checkCertificate(certPem: string, key: KeyObject, serverName: string, now = new Date()): CertificateReport {
  const certs = splitPem(certPem).map((pem) => new X509Certificate(pem));
  if (certs.length === 0) throw new UsageError('--cert: no PEM certificate in the file');
  const leaf = certs[0];
  const checks: Check[] = [];
  checks.push(
    leaf.checkPrivateKey(key)
      ? { id: 'key', level: 'ok', message: 'the key belongs to the certificate' }
      : { id: 'key', level: 'fail', message: 'the key does not belong to the certificate (nginx would refuse to start)' },
  );
  const daysLeft = Math.floor((new Date(leaf.validTo).getTime() - now.getTime()) / DAY);
  if (new Date(leaf.validFrom) > now) {
    checks.push({ id: 'dates', level: 'fail', message: `not valid before ${leaf.validFrom}` });
  } else if (daysLeft < 0) {
    checks.push({ id: 'dates', level: 'fail', message: `expired on ${leaf.validTo}` });
  } else {
    checks.push({
      id: 'dates',
      level: daysLeft < EXPIRY_WARNING_DAYS ? 'warn' : 'ok',
      message: `valid until ${leaf.validTo} (${daysLeft} days left)${daysLeft < EXPIRY_WARNING_DAYS ? ': renew it soon' : ''}`,
    });
  }
  const covered = /^\d+(\.\d+){3}$/.test(serverName) ? leaf.checkIP(serverName) : leaf.checkHost(serverName);
  checks.push(
    covered
      ? { id: 'names', level: 'ok', message: `covers ${serverName}` }
      : { id: 'names', level: 'fail', message: `does not cover ${serverName} (it names ${namesOf(leaf).join(', ') || 'nothing'})` },
  );
  checks.push(chainCheck(certs));
  if (certs.length === 1 && leaf.checkIssued(leaf)) {
    checks.push({ id: 'self-signed', level: 'warn', message: 'self-signed: browsers will warn; for testing only' });
  }
  return {
    subject: leaf.subject.replace(/\n/g, ', '),
    issuer: leaf.issuer.replace(/\n/g, ', '),
    names: namesOf(leaf),
    validTo: leaf.validTo,
    daysLeft,
    chainLength: certs.length,
    checks,
  };
}

async function readInput(file: string, flag: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${flag} ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

/** Read the certificate and key files and check them (bad files are usage errors, exit 2). */
export async function checkCertificateFiles(certFile: string, keyFile: string, serverName: string, now = new Date()): Promise<CertificateReport> {
  const [certPem, keyPem] = await Promise.all([readInput(certFile, '--cert'), readInput(keyFile, '--key')]);
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch (err) {
    const encrypted = /passphrase|encrypted/i.test((err as Error).message) || keyPem.includes('ENCRYPTED');
    throw new UsageError(
      `--key ${keyFile}: ${encrypted ? 'the key is protected by a passphrase' : 'not a PEM private key'}`,
      encrypted ? 'nginx cannot start unattended with it: openssl pkey -in KEY -out KEY.plain (then chmod 600)' : undefined,
    );
  }
  let report: CertificateReport;
  try {
    report = checkCertificate(certPem, key, serverName, now);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`--cert ${certFile}: not a readable certificate (${(err as Error).message})`);
  }
  const mode = (await fs.stat(keyFile)).mode & 0o777;
  if (mode & 0o077) {
    report.checks.push({ id: 'key-mode', level: 'warn', message: `the key file is readable by others (mode ${mode.toString(8)}): chmod 600 ${keyFile}` });
  }
  return report;
}

/** Stop before writing anything when a check failed: exit 3, naming what is wrong. */
export function refuseFailedChecks(report: CertificateReport): void {
  const failed = report.checks.filter((c) => c.level === 'fail');
  if (failed.length === 0) return;
  throw new RefusedError(
    `certificate check failed: ${failed.map((c) => c.message).join('; ')}`,
    'nothing was written; fix the certificate or key files and run again',
  );
}
