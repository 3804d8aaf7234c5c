import type { ServedCertificate, SslStatus } from './status.js';

const MARK = { ok: '✓', warn: '!', fail: '✗' } as const;

export function certificateLine(c: ServedCertificate): string {
  const by = c.certbot ? ` · certbot (${c.certbot.configDir}/live/${c.certbot.lineage})` : ' · renewed by hand';
  return `${MARK[c.level]} ${c.serverName}: ${c.message}${c.issuer ? ` · issuer ${c.issuer}` : ''}${by}`;
}

/** `ssl status` as the admin reads it. */
export function statusLines(status: SslStatus): string[] {
  if (status.certificates.length === 0) {
    return [`No certificate found (${status.note ?? 'catmaid-tui did not set HTTPS up and nginx -T names none for ALLOWED_HOSTS'}).`, 'Set HTTPS up: catmaid-tui ssl --server-name NAME --acme --email ADDRESS'];
  }
  const lines = status.certificates.flatMap((c) => [
    certificateLine(c),
    `  file: ${c.file}`,
    ...(c.certbot ? [`  renewal hook: ${c.certbot.hook ?? 'none (nginx keeps the old certificate until restarted): catmaid-tui ssl --acme installs it'}`] : []),
  ]);
  if (status.renewal) lines.push(`${status.renewal.scheduled ? '✓' : '✗'} renewal: ${status.renewal.detail}`);
  lines.push(`(from ${status.source === 'record' ? "catmaid-tui's record of its setup" : 'nginx -T'})`);
  return lines;
}

/** Home's few columns for the SSL entry: the most urgent certificate's days left ('! 9 d') and who renews it. */
export function statusSummary(status: SslStatus): string | undefined {
  const worst = [...status.certificates].sort((a, b) => (a.daysLeft ?? -1) - (b.daysLeft ?? -1))[0];
  if (!worst) return undefined;
  const days = worst.daysLeft === undefined ? 'unreadable' : worst.daysLeft < 0 ? 'expired' : `${worst.daysLeft} d`;
  const renewal = status.renewal ? (status.renewal.scheduled ? 'auto' : 'no renew') : 'by hand';
  return `${MARK[worst.level]} ${days} · ${renewal}`;
}
