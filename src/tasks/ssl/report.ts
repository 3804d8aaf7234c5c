import type { SslResult } from './apply.js';
import type { Check, CertificateReport } from './certificate.js';
import type { DjangoLocation } from './django-locations.js';
import type { SslPlan } from './plan.js';
import { HSTS_MAX_AGE } from './tls-profile.js';

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

/** One line per place that reaches Django: what it passes to, and the scheme line it has or gets. */
export function djangoLocationLine(l: DjangoLocation): string {
  const to = `${l.kind} → ${l.target}`;
  if (l.action === 'present') return `  ✓ ${l.where} (${to}): passes the scheme already (at ${l.at})`;
  const verb = l.action === 'added' ? 'gets' : 'has its header replaced by';
  return `  + ${l.where} (${to}): ${verb} ${l.lines.join(' ')} (at ${l.at})`;
}

function certificateSource(plan: SslPlan): string[] {
  const { request } = plan;
  if (request.acme) {
    return [
      `Certificate: from Let's Encrypt with certbot (webroot ${request.acme.webroot}, nginx keeps running), at --write`,
      `  files: ${request.files.certificate} and ${request.files.key}`,
      ...(plan.certificate ? certificateLines(plan.certificate).map((l) => `  now: ${l.trim()}`) : []),
    ];
  }
  if (plan.certificate) return certificateLines(plan.certificate);
  return [`Certificate: self-signed, to be made at --write: ${request.files.certificate} (key ${request.files.key}, mode 0600)`];
}

/** The plan as the admin reads it: where, what reaches Django, checks, then the configuration and the diff. */
export function planLines(plan: SslPlan): string[] {
  const source = {
    given: 'given with --site-file',
    found: 'holds the CATMAID server block in `nginx -T`',
    default: 'new file; no CATMAID server block found',
  }[plan.siteFileSource];
  const http2 = plan.http2 === 'directive' ? '`http2 on;`' : '`listen 443 ssl http2;`';
  const fresh = plan.newDjangoLocation;
  return [
    `nginx ${plan.nginxVersion.text} (${plan.request.nginx.binary}): HTTP/2 with ${http2}`,
    `Site file: ${plan.siteFile} (${source})`,
    ...plan.replaced.map((r) => `  replaces the server block at line ${r.line} (${r.serverNames.join(' ') || 'no server_name'})`),
    `Listens: https on ${plan.listen.tls.map((a) => a[0]).join(', ')}; http → https on ${plan.listen.redirect.map((a) => a[0]).join(', ')}`,
    'Locations that reach Django:',
    ...plan.djangoLocations.map(djangoLocationLine),
    ...(fresh ? [`  + location ${fresh.path} (new, ${fresh.upstream.kind} → ${fresh.upstream.address}) with the scheme line`] : []),
    ...plan.staticsAdded.map((f) => `Static: + location ${f.url} → ${f.dir} (${f.what})`),
    ...plan.hstsBlocks.map((b) => `HSTS: ${plan.request.hsts ? '+' : '-'} ${b} (it sets add_header lines of its own, so the server's are not sent from it)`),
    ...certificateSource(plan),
    ...(plan.kept.length > 0 ? ['Kept from the old server block:', ...plan.kept.map((k) => `  ${k.split('\n')[0]}${k.includes('\n') ? ' …}' : ''}`)] : []),
    hstsExplanation(plan.request.hsts),
    ...plan.problems.map((p) => `✗ ${p}`),
    ...plan.notes.map((n) => `Note: ${n}`),
    '',
    '--- generated configuration ---',
    plan.config.trimEnd(),
    '',
    '--- diff against the current site file ---',
    plan.diff.trimEnd(),
  ];
}

export function restartLine(display: string): string {
  return `New certificate files need a restart of nginx, not a reload (CATMAID's administration manual): ${display}`;
}

export function resultLines(result: SslResult): string[] {
  const acme = result.acme;
  return [
    ...(result.selfSignedCreated ? ['Made a self-signed key (mode 0600) and certificate.', ...certificateLines(result.certificate)] : []),
    ...(acme
      ? [
          `Let's Encrypt: certificate in place; the challenge site was served by the running nginx (${acme.challenge.file}).`,
          ...certificateLines(result.certificate),
          `Renewal hook: ${acme.hook.file}${acme.hook.changed ? ' (installed)' : ' (already there)'}: restarts nginx after certbot renewed the certificate`,
          `Renewal: ${acme.schedule.scheduled ? '✓' : '✗'} ${acme.schedule.detail}`,
        ]
      : []),
    `Wrote ${result.write.file}${result.write.created ? ' (new file)' : ''}${result.write.copy ? `; the old one is kept as ${result.write.copy}` : ''}.`,
    `nginx -t: ${result.write.test.split('\n').at(-1) ?? 'ok'}`,
  ];
}
