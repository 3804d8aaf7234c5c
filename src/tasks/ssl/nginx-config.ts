import { UsageError } from '../errors.js';
import { listenLine, type ListenPlan } from './listen.js';
import { http2Style, type NginxVersion } from './nginx-version.js';
import { checkServerName, nginxLocationPath, nginxWord } from './quote.js';
import { tlsLines, type TlsFiles } from './tls-profile.js';

export interface Upstream {
  kind: 'http' | 'uwsgi';
  /** `127.0.0.1:8000`, `unix:/run/catmaid.sock`, or the name of an `upstream { }` block. */
  address: string;
}

/** A folder nginx serves itself: STATIC_URL → STATIC_ROOT, MEDIA_URL → MEDIA_ROOT, STATIC_EXTENSION_URL → …_ROOT. */
export interface StaticFolder {
  url: string;
  dir: string;
  /** The settings it comes from, for messages. */
  what: string;
}

export interface SiteOptions {
  serverName: string;
  /** Further names of the old server block: redirected to `serverName` (the certificate covers that one). */
  otherNames?: string[];
  files: TlsFiles;
  nginxVersion: NginxVersion;
  hsts: boolean;
  listen: ListenPlan;
  /** Served on the redirect server for Let's Encrypt's http-01 challenge. */
  acmeWebroot?: string;
  /** Static folders the old server block does not serve yet. */
  statics?: StaticFolder[];
  /** Directives and locations kept from the previous server block, as text (Django's already pass the scheme). */
  kept?: string[];
  /** gzip of JSON unless the kept directives configure gzip themselves. */
  gzip?: boolean;
  /** For a site without any location that reaches Django: where (FORCE_SCRIPT_NAME + '/') and to what. */
  django?: { path: string; upstream: Upstream };
}

/** `--upstream` as typed: `127.0.0.1:8000`, `http://…`, `unix:/path.sock`, `uwsgi://127.0.0.1:8001`. */
export function parseUpstream(text: string): Upstream {
  const uwsgi = /^uwsgi:\/\/(.+)$/.exec(text);
  if (uwsgi) {
    nginxWord(uwsgi[1], '--upstream');
    return { kind: 'uwsgi', address: uwsgi[1] };
  }
  const address = text.replace(/^https?:\/\//, '').replace(/\/$/, '');
  if (!address) throw new UsageError(`--upstream ${JSON.stringify(text)}: empty address`, 'e.g. --upstream 127.0.0.1:8000');
  nginxWord(address, '--upstream');
  return { kind: 'http', address };
}

const withSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

function staticLocation(folder: StaticFolder): string[] {
  return [`    location ${nginxLocationPath(withSlash(folder.url), folder.what)} {`, `        alias ${nginxWord(withSlash(folder.dir), folder.what)};`, '    }', ''];
}

/** A Django location for a new site; kept ones get their scheme line from django-locations.ts instead. */
function djangoLocation(where: string, upstream: Upstream): string[] {
  const path = nginxLocationPath(withSlash(where), 'FORCE_SCRIPT_NAME');
  if (upstream.kind === 'uwsgi') {
    // An HTTP_ parameter replaces the header of the same name the client sent.
    return [
      `    location ${path} {`,
      '        include uwsgi_params;',
      `        uwsgi_pass ${nginxWord(upstream.address, '--upstream')};`,
      '        uwsgi_param HTTP_X_FORWARDED_PROTO $scheme;',
      '    }',
    ];
  }
  return [
    `    location ${path} {`,
    `        proxy_pass http://${nginxWord(upstream.address, '--upstream')};`,
    '        proxy_set_header Host $host;',
    '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '        # Set, not passed on: Django trusts this header (SECURE_PROXY_SSL_HEADER), the client must not.',
    '        proxy_set_header X-Forwarded-Proto $scheme;',
    '        proxy_redirect off;',
    '    }',
  ];
}

/** The port-80 server: Let's Encrypt's challenge files when there is a webroot, everything else to https. */
export function redirectServer(options: Pick<SiteOptions, 'serverName' | 'listen' | 'acmeWebroot'>, names: string): string[] {
  const port = options.listen.httpsPort;
  const target = `https://${options.serverName}${port === 443 ? '' : `:${port}`}$request_uri`;
  const head = ['server {', ...options.listen.redirect.map(listenLine), `    server_name ${names};`];
  if (!options.acmeWebroot) return [...head, `    return 301 ${target};`, '}'];
  return [
    ...head,
    '    # Let\'s Encrypt checks the domain through these files (certbot --webroot); everything else goes to https.',
    ...acmeLocation(options.acmeWebroot),
    '    location / {',
    `        return 301 ${target};`,
    '    }',
    '}',
  ];
}

export function acmeLocation(webroot: string): string[] {
  return ['    location ^~ /.well-known/acme-challenge/ {', `        root ${nginxWord(webroot, '--webroot')};`, '        default_type "text/plain";', '    }'];
}

/** CATMAID's API answers are large JSON documents; nginx compresses only text/html unless told. */
export const GZIP = ['gzip on;', 'gzip_types text/plain text/css text/javascript application/javascript application/json application/xml image/svg+xml;'];

/** The first lines of a generated file: a file that starts with them was written by catmaid-tui. */
export const HEADER = (version: string): string[] => [
  `# CATMAID over HTTPS, generated by catmaid-tui for nginx ${version}.`,
  '# TLS: Mozilla "intermediate" profile (https://ssl-config.mozilla.org/).',
];

/** The two server blocks (port 80 → https redirect, and the TLS server) for CATMAID, as nginx configuration. */
export function generateSiteConfig(options: SiteOptions): string {
  const name = checkServerName(options.serverName);
  const names = [name, ...(options.otherNames ?? []).filter((n) => n !== name).map(checkServerName)].join(' ');
  const style = http2Style(options.nginxVersion);
  const kept = options.kept ?? [];
  const lines = [
    ...HEADER(options.nginxVersion.text),
    ...redirectServer(options, names),
    '',
    'server {',
    ...options.listen.tls.map(listenLine),
    ...(style === 'directive' ? ['    http2 on;'] : []),
    `    server_name ${name};`,
    '',
    ...tlsLines(options.files, options.hsts),
    '',
    ...(options.gzip !== false ? [...GZIP.map((l) => `    ${l}`), ''] : []),
    ...(options.statics ?? []).flatMap(staticLocation),
    ...(kept.length > 0 ? ['    # Kept from the previous configuration:', ...kept.map((k) => `    ${k}`), ''] : []),
    ...(options.django ? djangoLocation(options.django.path, options.django.upstream) : []),
    '}',
  ];
  while (lines.at(-2) === '') lines.splice(-2, 1);
  return `${lines.join('\n')}\n`;
}
