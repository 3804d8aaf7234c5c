import { UsageError } from '../errors.js';
import { http2Style, type NginxVersion } from './nginx-version.js';

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

export interface Upstream {
  kind: 'http' | 'uwsgi';
  /** `127.0.0.1:8000`, `unix:/run/catmaid.sock`, or the name of an `upstream { }` block. */
  address: string;
}

export interface SiteOptions {
  serverName: string;
  certificate: string;
  key: string;
  upstream: Upstream;
  nginxVersion: NginxVersion;
  hsts: boolean;
  /** Leave out to listen on all addresses on 443 and 80 (IPv6 too when `ipv6`). */
  listen?: { address?: string; httpsPort?: number; httpPort?: number };
  ipv6?: boolean;
  /** STATIC_URL → STATIC_ROOT; a URL with a host (a CDN) gets no location. */
  staticUrl?: string | null;
  staticRoot?: string | null;
  staticExtensionUrl?: string | null;
  staticExtensionRoot?: string | null;
  /** Directives and locations kept from the previous server block, as text. */
  kept?: string[];
}

const HOSTNAME = /^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function checkServerName(name: string): string {
  if (!HOSTNAME.test(name) && !IPV4.test(name)) {
    throw new UsageError(`--server-name ${JSON.stringify(name)}: not a host name`, 'e.g. --server-name catmaid.example.org');
  }
  return name;
}

/** A value as one nginx word: quoted when it has blanks; characters nginx would read as syntax are refused. */
export function word(value: string, what: string): string {
  if (/[;{}"'$\\\n]/.test(value)) throw new UsageError(`${what} ${JSON.stringify(value)}: contains ; { } " ' $ or \\`);
  return /\s/.test(value) ? `"${value}"` : value;
}

/** `--upstream` as typed: `127.0.0.1:8000`, `http://…`, `unix:/path.sock`, `uwsgi://127.0.0.1:8001`. */
export function parseUpstream(text: string): Upstream {
  const uwsgi = /^uwsgi:\/\/(.+)$/.exec(text);
  if (uwsgi) return { kind: 'uwsgi', address: uwsgi[1] };
  const address = text.replace(/^https?:\/\//, '').replace(/\/$/, '');
  if (!address) throw new UsageError(`--upstream ${JSON.stringify(text)}: empty address`, 'e.g. --upstream 127.0.0.1:8000');
  return { kind: 'http', address };
}

const withSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

function staticLocation(url: string | null | undefined, dir: string | null | undefined, what: string): string[] {
  if (!url || !dir || /^[a-z]+:\/\//i.test(url) || !url.startsWith('/')) return [];
  return [`    location ${word(withSlash(url), what)} {`, `        alias ${word(withSlash(dir), what)};`, '    }', ''];
}

function proxyLocation(upstream: Upstream): string[] {
  if (upstream.kind === 'uwsgi') {
    // An HTTP_ parameter replaces the header of the same name the client sent.
    return [
      '    location / {',
      '        include uwsgi_params;',
      `        uwsgi_pass ${word(upstream.address, '--upstream')};`,
      '        uwsgi_param HTTP_HOST $host;',
      '        uwsgi_param HTTP_X_FORWARDED_FOR $proxy_add_x_forwarded_for;',
      '        uwsgi_param HTTP_X_FORWARDED_PROTO $scheme;',
      '    }',
    ];
  }
  return [
    '    location / {',
    `        proxy_pass http://${word(upstream.address, '--upstream')};`,
    '        proxy_set_header Host $host;',
    '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '        # Set, not passed on: Django trusts this header (SECURE_PROXY_SSL_HEADER), the client must not.',
    '        proxy_set_header X-Forwarded-Proto $scheme;',
    '        proxy_redirect off;',
    '    }',
  ];
}

function listenLines(options: SiteOptions, port: number, params: string): string[] {
  const suffix = params ? ` ${params}` : '';
  if (options.listen?.address) return [`    listen ${options.listen.address}:${port}${suffix};`];
  return [`    listen ${port}${suffix};`, ...(options.ipv6 ? [`    listen [::]:${port}${suffix};`] : [])];
}

/** The two server blocks (port 80 → https redirect, and the TLS proxy) for CATMAID, as nginx configuration. */
export function generateSiteConfig(options: SiteOptions): string {
  const name = checkServerName(options.serverName);
  const httpsPort = options.listen?.httpsPort ?? 443;
  const httpPort = options.listen?.httpPort ?? 80;
  const style = http2Style(options.nginxVersion);
  const target = httpsPort === 443 ? `https://${name}` : `https://${name}:${httpsPort}`;
  const i = MOZILLA_INTERMEDIATE;
  const lines = [
    `# CATMAID over HTTPS, generated by catmaid-tui for nginx ${options.nginxVersion.text}.`,
    '# TLS: Mozilla "intermediate" profile (https://ssl-config.mozilla.org/).',
    'server {',
    ...listenLines(options, httpPort, ''),
    `    server_name ${name};`,
    `    return 301 ${target}$request_uri;`,
    '}',
    '',
    'server {',
    ...listenLines(options, httpsPort, style === 'listen' ? 'ssl http2' : 'ssl'),
    ...(style === 'directive' ? ['    http2 on;'] : []),
    `    server_name ${name};`,
    '',
    `    ssl_certificate ${word(options.certificate, '--cert')};`,
    `    ssl_certificate_key ${word(options.key, '--key')};`,
    `    ssl_protocols ${i.protocols};`,
    `    ssl_ecdh_curve ${i.curves};`,
    `    ssl_ciphers ${i.ciphers};`,
    '    ssl_prefer_server_ciphers off;',
    `    ssl_session_timeout ${i.sessionTimeout};`,
    `    ssl_session_cache ${i.sessionCache};`,
    '    ssl_session_tickets off;',
    ...(options.hsts
      ? ['    # HSTS: browsers refuse plain http for this name for two years.', `    add_header Strict-Transport-Security "max-age=${HSTS_MAX_AGE}" always;`]
      : []),
    '',
    '    gzip on;',
    '    gzip_types text/plain text/css text/javascript application/javascript application/json application/xml image/svg+xml;',
    '',
    ...staticLocation(options.staticUrl, options.staticRoot, 'STATIC_URL/STATIC_ROOT'),
    ...staticLocation(options.staticExtensionUrl, options.staticExtensionRoot, 'STATIC_EXTENSION_URL/ROOT'),
    ...(options.kept && options.kept.length > 0
      ? ['    # Kept from the previous configuration:', ...options.kept.map((k) => `    ${k}`), '']
      : []),
    ...proxyLocation(options.upstream),
    '}',
  ];
  return `${lines.join('\n')}\n`;
}
