import type { Check, CertificateReport } from './certificate.js';
import { HSTS_MAX_AGE } from './nginx-config.js';
import type { SslPlan, SslResult } from './plan.js';

/** What HSTS costs, said every time so the choice is made knowingly. */
export function hstsExplanation(enabled: boolean): string {
  const years = Math.round(HSTS_MAX_AGE / 31_536_000);
  const risk =
    `browsers that saw the header refuse plain http for this name for ${years} years, with no way to click through: ` +
    'if the certificate lapses or HTTPS is switched off, users are locked out until the time runs out';
  return enabled
    ? `HSTS on (max-age=${HSTS_MAX_AGE}): ${risk}. Keep certificate renewal automatic.`
    : `HSTS off. Add --hsts once HTTPS works and renewal is automatic; then ${risk}.`;
}

const MARK: Record<Check['level'], string> = { ok: '✓', warn: '!', fail: '✗' };

export function certificateLines(report: CertificateReport): string[] {
  return [
    `Certificate: ${report.subject} (issuer ${report.issuer}; ${report.chainLength} in the file)`,
    ...report.checks.map((c) => `  ${MARK[c.level]} ${c.message}`),
  ];
}

/** The plan as the admin reads it: where, what, checks, then the configuration and the diff. */
export function planLines(plan: SslPlan): string[] {
  const source = {
    given: 'given with --site-file',
    found: 'holds the CATMAID server block in `nginx -T`',
    default: 'new file; no CATMAID server block found',
  }[plan.siteFileSource];
  const http2 = plan.http2 === 'directive' ? '`http2 on;`' : '`listen 443 ssl http2;`';
  const lines = [
    `nginx ${plan.nginxVersion.text} (${plan.request.nginx.binary}): HTTP/2 with ${http2}`,
    `Site file: ${plan.siteFile} (${source})`,
    ...plan.replaced.map((r) => `  replaces the server block at line ${r.line} (${r.serverNames.join(' ') || 'no server_name'})`),
    `Upstream: ${plan.upstream.kind} ${plan.upstream.address}`,
    ...(plan.certificate
      ? certificateLines(plan.certificate)
      : [`Certificate: self-signed, to be made at --write: ${plan.request.files.certificate} (key ${plan.request.files.key}, mode 0600)`]),
    ...(plan.kept.length > 0 ? ['Kept from the old server block:', ...plan.kept.map((k) => `  ${k.split('\n')[0]}${k.includes('\n') ? ' …}' : ''}`)] : []),
    hstsExplanation(plan.request.hsts),
    ...plan.notes.map((n) => `Note: ${n}`),
    '',
    '--- generated configuration ---',
    plan.config.trimEnd(),
    '',
    '--- diff against the current site file ---',
    plan.diff.trimEnd(),
  ];
  return lines;
}

export function resultLines(result: SslResult): string[] {
  return [
    ...(result.selfSignedCreated ? ['Made a self-signed key (mode 0600) and certificate.', ...certificateLines(result.certificate)] : []),
    `Wrote ${result.write.file}${result.write.created ? ' (new file)' : ''}${result.write.backup ? `; the old one is kept as ${result.write.backup}` : ''}.`,
    `nginx -t: ${result.write.test.split('\n').at(-1) ?? 'ok'}`,
  ];
}
