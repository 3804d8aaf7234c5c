import { pythonString } from './quote.js';
import type { DjangoVersion } from './django-version.js';

/**
 * The managed settings.py block that goes with HTTPS behind nginx. Pure: what goes in depends on the Django
 * version and on what settings.py already has.
 */
export interface DjangoSslInputs {
  serverName: string;
  /** https://name, with the port when it is not 443. */
  origin: string;
  version: DjangoVersion | null;
  /** The effective ALLOWED_HOSTS, and whether the admin asked to add the server name to it. */
  allowedHosts: string[];
  addAllowedHost: boolean;
  /** Names settings_base.py or settings.py assign (so `+=` works on them). */
  defined: string[];
}

export interface DjangoSslLines {
  lines: string[];
  hostAllowed: boolean;
  notes: string[];
}

/** Django's own host matching (django.http.request.validate_host), the port already removed. */
export function hostAllowed(host: string, patterns: string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return patterns.some((raw) => {
    const p = raw.toLowerCase();
    return p === '*' || p === h || (p.startsWith('.') && (h.endsWith(p) || h === p.slice(1)));
  });
}

export function httpsOrigin(serverName: string, port: number): string {
  return `https://${serverName}${port === 443 ? '' : `:${port}`}`;
}

/** `+=` a tuple where the name exists (a list or a tuple both take one), else a new list. */
function extend(name: string, value: string, defined: string[], what: string): string {
  const literal = pythonString(value, what);
  return defined.includes(name) ? `${name} += (${literal},)` : `${name} = [${literal}]`;
}

export function djangoSslLines(inputs: DjangoSslInputs): DjangoSslLines {
  const notes: string[] = [];
  const lines = [
    'SESSION_COOKIE_SECURE = True',
    'CSRF_COOKIE_SECURE = True',
    '# nginx sets this header from the connection in every location that reaches Django, never from the client.',
    "SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')",
  ];
  if (!inputs.version) {
    notes.push('the Django version is unknown: CSRF_TRUSTED_ORIGINS is left out (Django 4.0+ wants it with the scheme, 3.2 without)');
  } else if (inputs.version.major >= 4) {
    lines.push(`# Django ${inputs.version.text} compares a POST's Origin with these (scheme included).`);
    lines.push(extend('CSRF_TRUSTED_ORIGINS', inputs.origin, inputs.defined, 'the origin'));
  } else if (/:\d+$/.test(inputs.origin)) {
    // Django 3.2 compares the Referer's host:port with these (no scheme: with one it would never match). Debian's
    // uwsgi_params passes Host without the port, so a site on another port than 443 needs its host:port here.
    const netloc = inputs.origin.replace(/^https:\/\//, '');
    lines.push(`# Django ${inputs.version.text} compares a POST's Referer (host:port, no scheme) with these.`);
    lines.push(extend('CSRF_TRUSTED_ORIGINS', netloc, inputs.defined, 'the origin'));
  } else {
    notes.push(`Django ${inputs.version.text}: CSRF_TRUSTED_ORIGINS left out (3.2 takes host names there, not origins with a scheme, and the Referer of a same-site POST already matches)`);
  }
  const allowed = hostAllowed(inputs.serverName, inputs.allowedHosts);
  if (!allowed && inputs.addAllowedHost) {
    lines.push(extend('ALLOWED_HOSTS', inputs.serverName, inputs.defined, '--server-name'));
  } else if (!allowed) {
    notes.push(`${inputs.serverName} is not in ALLOWED_HOSTS (${inputs.allowedHosts.join(', ') || 'empty'}): Django answers 400 to https://${inputs.serverName}; add it with --allowed-host`);
  }
  return { lines, hostAllowed: allowed, notes };
}
