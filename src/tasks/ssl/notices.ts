import type { Notice, NoticeProvider } from '../instance/notices.js';
import { instanceSslStatus } from './instance-status.js';
import type { SslStatus } from './status.js';

/** Notices for what needs the admin: a certificate under 21 days (7: fail) or expired, renewal not scheduled. */
export function sslNotices(status: SslStatus): Notice[] {
  const notices: Notice[] = [];
  for (const c of status.certificates) {
    if (c.level === 'ok') continue;
    const renew = c.certbot ? 'certbot renew failed? check: certbot renew --dry-run' : 'renew it';
    // The days first: Home cuts a notice to its column.
    const when = c.daysLeft === undefined ? c.message : c.daysLeft < 0 ? `expired on ${c.notAfter?.slice(0, 10)}` : `expires in ${c.daysLeft} days`;
    notices.push({
      id: `ssl.certificate-expiry.${c.serverName}`,
      severity: c.level,
      text: `certificate ${when}: ${c.serverName}, ${renew}`,
      command: 'catmaid-tui ssl status',
      screen: 'ssl',
    });
  }
  if (status.renewal && !status.renewal.scheduled) {
    notices.push({ id: 'ssl.renewal', severity: 'warn', text: `certificate renewal is not scheduled: ${status.renewal.detail}`, command: 'catmaid-tui ssl status', screen: 'ssl' });
  }
  return notices;
}

export const sslNoticeProvider: NoticeProvider = {
  id: 'ssl',
  read: async (info) => sslNotices(await instanceSslStatus(info)),
};
