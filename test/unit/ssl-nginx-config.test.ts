import { describe, expect, it } from 'vitest';
import { planListen, type ListenRequest } from '../../src/tasks/ssl/listen.js';
import { generateSiteConfig, parseUpstream, type SiteOptions, type Upstream } from '../../src/tasks/ssl/nginx-config.js';
import { http2Style, parseNginxVersion, versionFromText } from '../../src/tasks/ssl/nginx-version.js';
import { MOZILLA_INTERMEDIATE } from '../../src/tasks/ssl/tls-profile.js';

interface Over extends Partial<Omit<SiteOptions, 'listen'>> {
  upstream?: Upstream;
  listen?: ListenRequest;
  certificate?: string;
  key?: string;
  ipv6?: boolean;
}

/** A new site (no old server block): the Django location at / for the upstream, listening on 80 and 443. */
const base = (over: Over = {}): SiteOptions => {
  const nginxVersion = over.nginxVersion ?? versionFromText('1.22.1');
  const { upstream, listen, certificate, key, ipv6, ...rest } = over;
  return {
    serverName: 'catmaid.example.org',
    files: { certificate: certificate ?? '/etc/ssl/catmaid/fullchain.pem', key: key ?? '/etc/ssl/catmaid/privkey.pem' },
    nginxVersion,
    hsts: false,
    listen: planListen([], listen, http2Style(nginxVersion), ipv6 ?? true),
    django: { path: '/', upstream: upstream ?? { kind: 'http', address: '127.0.0.1:8000' } },
    ...rest,
  };
};
const folders = (staticUrl: string, staticRoot: string, extUrl?: string, extRoot?: string): SiteOptions['statics'] => [
  { url: staticUrl, dir: staticRoot, what: 'STATIC_URL/STATIC_ROOT' },
  ...(extUrl && extRoot ? [{ url: extUrl, dir: extRoot, what: 'STATIC_EXTENSION_URL/STATIC_EXTENSION_ROOT' }] : []),
];

describe('nginx version and the http2 switch at 1.25.1', () => {
  it('reads what nginx -v prints on Debian, Ubuntu and openresty', () => {
    expect(parseNginxVersion('nginx version: nginx/1.22.1')?.text).toBe('1.22.1');
    expect(parseNginxVersion('nginx version: nginx/1.24.0 (Ubuntu)')).toMatchObject({ major: 1, minor: 24, patch: 0 });
    expect(parseNginxVersion('nginx version: openresty/1.21.4.1')?.text).toBe('1.21.4');
    expect(parseNginxVersion('command not found')).toBeUndefined();
  });

  it('puts http2 on the listen line before 1.25.1 and uses `http2 on;` from 1.25.1', () => {
    expect(['1.18.0', '1.22.1', '1.25.0'].map((v) => http2Style(versionFromText(v)))).toEqual(['listen', 'listen', 'listen']);
    expect(['1.25.1', '1.26.3', '2.0.0'].map((v) => http2Style(versionFromText(v)))).toEqual(['directive', 'directive', 'directive']);
  });

  it('an admin on Debian 12 (nginx 1.22.1) gets `listen 443 ssl http2;` and no http2 directive', () => {
    const config = generateSiteConfig(base());
    expect(config).toContain('    listen 443 ssl http2;\n');
    expect(config).toContain('    listen [::]:443 ssl http2;\n');
    expect(config).not.toMatch(/http2 on;/);
  });

  it('an admin on nginx 1.25.1 or later gets `listen 443 ssl;` plus `http2 on;`', () => {
    for (const v of ['1.25.1', '1.27.4']) {
      const config = generateSiteConfig(base({ nginxVersion: versionFromText(v) }));
      expect(config).toContain('    listen 443 ssl;\n');
      expect(config).toContain('    http2 on;\n');
      expect(config).not.toContain('ssl http2');
    }
  });

  it('never writes the `ssl on;` that nginx 1.25.1 rejects, on either side', () => {
    for (const v of ['1.22.1', '1.25.1']) expect(generateSiteConfig(base({ nginxVersion: versionFromText(v) }))).not.toMatch(/^\s*ssl on;/m);
  });
});

describe('the generated server blocks', () => {
  const config = generateSiteConfig(
    base({ statics: folders('/static/', '/srv/catmaid/django/static', '/staticext', '/srv/catmaid/django/staticext') }),
  );

  it('use the Mozilla intermediate profile: TLS 1.2/1.3, ECDHE AEAD ciphers, client preference, session cache', () => {
    expect(config).toContain('ssl_protocols TLSv1.2 TLSv1.3;');
    expect(config).toContain(`ssl_ciphers ${MOZILLA_INTERMEDIATE.ciphers};`);
    expect(MOZILLA_INTERMEDIATE.ciphers.split(':').every((c) => /^ECDHE-(ECDSA|RSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$/.test(c))).toBe(true);
    expect(config).toContain('ssl_prefer_server_ciphers off;');
    expect(config).toMatch(/ssl_session_cache shared:\w+:10m;/);
    expect(config).toContain('ssl_session_timeout 1d;');
    expect(config).toContain('ssl_session_tickets off;');
    expect(config).not.toMatch(/TLSv1(\.[01])?(?![.\d])/);
  });

  it('redirect port 80 to https on the configured name, keeping the path', () => {
    expect(config).toMatch(/server \{\n {4}listen 80;\n {4}listen \[::\]:80;\n {4}server_name catmaid\.example\.org;\n {4}return 301 https:\/\/catmaid\.example\.org\$request_uri;\n\}/);
  });

  it('set X-Forwarded-Proto from the connection (never the client), Host and X-Forwarded-For', () => {
    expect(config).toContain('proxy_pass http://127.0.0.1:8000;');
    expect(config).toContain('proxy_set_header X-Forwarded-Proto $scheme;');
    expect(config).toContain('proxy_set_header Host $host;');
    expect(config).toContain('proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
  });

  it('serve STATIC_URL and STATIC_EXTENSION_URL from their folders and gzip JSON', () => {
    expect(config).toContain('    location /static/ {\n        alias /srv/catmaid/django/static/;\n    }');
    expect(config).toContain('    location /staticext/ {\n        alias /srv/catmaid/django/staticext/;\n    }');
    expect(config).toMatch(/gzip_types [^;]*application\/json/);
  });

  it('send HSTS only when asked', () => {
    expect(config).not.toContain('Strict-Transport-Security');
    expect(generateSiteConfig(base({ hsts: true }))).toContain('add_header Strict-Transport-Security "max-age=63072000" always;');
  });

  it('listen on one address and other ports when told (a private test server), with the port in the redirect', () => {
    const local = generateSiteConfig(base({ listen: { address: '127.0.0.1', httpsPort: 18443, httpPort: 18080 } }));
    expect(local).toContain('listen 127.0.0.1:18080;');
    expect(local).toContain('listen 127.0.0.1:18443 ssl http2;');
    expect(local).toContain('return 301 https://catmaid.example.org:18443$request_uri;');
    expect(local).not.toContain('[::]');
  });

  it('quote paths with blanks, quotes and braces the way nginx reads them', () => {
    const odd = generateSiteConfig(base({ certificate: '/etc/my certs/a.pem', key: '/etc/k{1};"x"/b.key' }));
    expect(odd).toContain('ssl_certificate "/etc/my certs/a.pem";');
    expect(odd).toContain('ssl_certificate_key "/etc/k{1};\\"x\\"/b.key";');
  });

  it('put the Django location of a new site under FORCE_SCRIPT_NAME', () => {
    const sub = generateSiteConfig(base({ django: { path: '/catmaid/', upstream: parseUpstream('uwsgi://unix:/run/catmaid/uwsgi.socket') } }));
    expect(sub).toContain('    location /catmaid/ {\n        include uwsgi_params;\n        uwsgi_pass unix:/run/catmaid/uwsgi.socket;\n        uwsgi_param HTTP_X_FORWARDED_PROTO $scheme;');
  });

  it('pass X-Forwarded-Proto as a uwsgi parameter for a uwsgi upstream', () => {
    const uwsgi = generateSiteConfig(base({ upstream: parseUpstream('uwsgi://unix:/run/uwsgi/catmaid.sock') }));
    expect(uwsgi).toContain('uwsgi_pass unix:/run/uwsgi/catmaid.sock;');
    expect(uwsgi).toContain('uwsgi_param HTTP_X_FORWARDED_PROTO $scheme;');
    expect(uwsgi).not.toContain('proxy_pass');
  });

  it('refuse names and paths that would break the file: ; { } in a name, $, newlines', () => {
    expect(() => generateSiteConfig(base({ serverName: 'catmaid.org; evil' }))).toThrow(/not a host name/);
    expect(() => generateSiteConfig(base({ serverName: 'catmaid.org\nserver {' }))).toThrow(/control character/);
    expect(() => generateSiteConfig(base({ key: '/etc/ssl/$key' }))).toThrow(/--key/);
    expect(() => generateSiteConfig(base({ certificate: '/etc/ssl/a.pem;\ninclude /tmp/evil;' }))).toThrow(/control character/);
    expect(() => generateSiteConfig(base({ acmeWebroot: '/var/www/x\r' }))).toThrow(/control character/);
    expect(() => parseUpstream('uwsgi://127.0.0.1:8001;\n')).toThrow(/control character/);
    expect(parseUpstream('http://127.0.0.1:8000/')).toEqual({ kind: 'http', address: '127.0.0.1:8000' });
  });
});
