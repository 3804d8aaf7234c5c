import { nginxWord } from './quote.js';

/**
 * Mozilla's "intermediate" server-side TLS profile (guideline 5.7+, without the DHE suites that need a dhparam
 * file): TLS 1.2 and 1.3 only, forward-secret AEAD ciphers, the client picks its preferred one.
 */
export const MOZILLA_INTERMEDIATE = {
  protocols: 'TLSv1.2 TLSv1.3',
  ciphers: [
    'ECDHE-ECDSA-AES128-GCM-SHA256',
    'ECDHE-RSA-AES128-GCM-SHA256',
    'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ECDHE-RSA-AES256-GCM-SHA384',
    'ECDHE-ECDSA-CHACHA20-POLY1305',
    'ECDHE-RSA-CHACHA20-POLY1305',
  ].join(':'),
  curves: 'X25519:prime256v1:secp384r1',
  sessionTimeout: '1d',
  // Its own zone name: a zone declared twice with different sizes stops nginx.
  sessionCache: 'shared:CatmaidSSL:10m',
} as const;

/** Two years, the value the HSTS preload list asks for. */
export const HSTS_MAX_AGE = 63072000;
export const HSTS_LINE = `add_header Strict-Transport-Security "max-age=${HSTS_MAX_AGE}" always;`;

export interface TlsFiles {
  certificate: string;
  key: string;
  /**
   * OCSP stapling, only for a certificate that names an OCSP responder (nginx warns and staples nothing
   * otherwise; Let's Encrypt certificates name none since 2025). `trusted` verifies the responses (certbot's
   * chain.pem); `resolvers` let nginx look the responder up.
   */
  stapling?: { trusted?: string; resolvers: string[] };
}

/** The TLS lines of the server block: certificate, protocols, ciphers, session cache, stapling, HSTS. */
export function tlsLines(files: TlsFiles, hsts: boolean): string[] {
  const i = MOZILLA_INTERMEDIATE;
  const stapling = files.stapling
    ? [
        '    ssl_stapling on;',
        '    ssl_stapling_verify on;',
        ...(files.stapling.trusted ? [`    ssl_trusted_certificate ${nginxWord(files.stapling.trusted, 'the certificate chain')};`] : []),
        ...(files.stapling.resolvers.length > 0 ? [`    resolver ${files.stapling.resolvers.map((r) => nginxWord(r, 'resolver')).join(' ')} valid=300s;`] : []),
      ]
    : [];
  return [
    `    ssl_certificate ${nginxWord(files.certificate, '--cert')};`,
    `    ssl_certificate_key ${nginxWord(files.key, '--key')};`,
    `    ssl_protocols ${i.protocols};`,
    `    ssl_ecdh_curve ${i.curves};`,
    `    ssl_ciphers ${i.ciphers};`,
    '    ssl_prefer_server_ciphers off;',
    `    ssl_session_timeout ${i.sessionTimeout};`,
    `    ssl_session_cache ${i.sessionCache};`,
    '    ssl_session_tickets off;',
    ...stapling,
    ...(hsts
      ? ['    # HSTS: browsers refuse plain http for this name for two years.', `    ${HSTS_LINE}`]
      : []),
  ];
}

/** The name servers of /etc/resolv.conf, for `resolver` (IPv6 ones in brackets, as nginx wants them). */
export function resolversOf(resolvConf: string): string[] {
  return [...resolvConf.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => (m[1].includes(':') ? `[${m[1]}]` : m[1]));
}
