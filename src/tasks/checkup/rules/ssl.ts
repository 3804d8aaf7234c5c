import type { SslStatus } from '../../ssl/status.js';
import type { Check, CheckupInputs } from '../types.js';

const SOURCE = "certbot renews at 30 days left; CATMAID's administration manual (HTTPS)";

/**
 * ssl.certificate (days to expiry: warn under 21, fail under 7) and ssl.renewal (certbot's timer or cron), for the
 * certificate nginx serves for CATMAID. Nothing when there is no certificate to judge.
 */
export function sslChecks(inputs: Pick<CheckupInputs, 'ssl'>): Check[] {
  const status: SslStatus | null | undefined = inputs.ssl;
  if (!status || status.certificates.length === 0) return [];
  const checks: Check[] = status.certificates.map((c) => ({
    id: 'ssl.certificate',
    group: 'web',
    title: `certificate ${c.serverName}`,
    status: c.level,
    current: c.message,
    suggested: c.level === 'ok' ? null : c.certbot ? 'a renewed certificate (certbot renew)' : 'a new certificate before it expires',
    why:
      c.level === 'ok'
        ? `${c.file}${c.certbot ? ', kept current by certbot' : ''}.`
        : `Browsers refuse an expired certificate outright; with HSTS users cannot even click through. ${c.certbot ? 'certbot should have renewed it at 30 days left: its renewal is failing.' : 'It is renewed by hand.'}`,
    fix: c.level === 'ok' ? null : { kind: 'manual', text: c.certbot ? 'certbot renew   # then check: catmaid-tui ssl status' : 'catmaid-tui ssl --server-name NAME --acme --email ADDRESS --write' },
    source: SOURCE,
  }));
  if (status.renewal) {
    const r = status.renewal;
    checks.push({
      id: 'ssl.renewal',
      group: 'web',
      title: 'certificate renewal',
      status: r.scheduled ? 'ok' : 'fail',
      current: r.detail,
      suggested: r.scheduled ? null : 'certbot renew twice a day (certbot.timer or cron)',
      why: "Let's Encrypt certificates last 90 days; without a scheduled `certbot renew` the site's certificate expires unnoticed.",
      fix: r.scheduled ? null : { kind: 'manual', text: r.how === 'cron' ? 'systemctl start cron   # or: service cron start' : 'systemctl enable --now certbot.timer' },
      source: SOURCE,
    });
  }
  return checks;
}
