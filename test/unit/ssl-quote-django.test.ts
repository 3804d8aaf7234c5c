import { describe, expect, it } from 'vitest';
import { djangoSslLines, hostAllowed, httpsOrigin, type DjangoSslInputs } from '../../src/tasks/ssl/django-settings.js';
import { fromRequirements } from '../../src/tasks/ssl/django-version.js';
import { parseNginx } from '../../src/tasks/ssl/nginx-parse.js';
import { checkEmail, checkServerName, nginxLocationPath, nginxWord, pythonString } from '../../src/tasks/ssl/quote.js';

describe('values written into nginx configuration and settings.py (issue 12 §8)', () => {
  it('nginx: one word, quoted where nginx needs it, read back by a parser as the same value', () => {
    for (const value of ['/etc/ssl/a.pem', '/srv/my certs/a.pem', '/x/{y};#z', '/q/"quoted"/\\\\back', "/s/it's"]) {
      const word = nginxWord(value, 'path');
      const [node] = parseNginx(`alias ${word};`);
      expect(node.args).toEqual([value]);
    }
    expect(nginxWord('/plain/path', 'p')).toBe('/plain/path');
  });

  it('nginx: no newline, carriage return, NUL or $ (a variable), no location path that is not a path', () => {
    for (const bad of ['/a\nserver {', '/a\rb', '/a\u0000', '/a$host', '']) expect(() => nginxWord(bad, '--cert')).toThrow(/--cert/);
    expect(() => nginxLocationPath('static/', 'STATIC_URL')).toThrow(/starts with \//);
    expect(() => nginxLocationPath('/s/?x', 'STATIC_URL')).toThrow(/\?/);
  });

  it('python: a string literal with \\ and quotes escaped; control characters refused', () => {
    expect(pythonString("it's \\ ok", 'x')).toBe("'it\\'s \\\\ ok'");
    expect(() => pythonString('a\nALLOWED_HOSTS = ["*"]', 'x')).toThrow(/control character/);
  });

  it('server names and e-mail addresses are what they claim to be', () => {
    expect(checkServerName('catmaid.example.org')).toBe('catmaid.example.org');
    for (const bad of ['a b', 'x;y', 'x}', '-x.org', 'x\n.org']) expect(() => checkServerName(bad)).toThrow();
    expect(checkEmail('admin@example.org')).toBe('admin@example.org');
    for (const bad of ['admin', '--register-unsafely-without-email@x.org', 'a@b', 'a b@x.org', 'a@x.org\n']) expect(() => checkEmail(bad)).toThrow(/--email/);
  });
});

const inputs = (over: Partial<DjangoSslInputs> = {}): DjangoSslInputs => ({
  serverName: 'catmaid.example.org',
  origin: httpsOrigin('catmaid.example.org', 443),
  version: { major: 4, minor: 2, text: '4.2', source: 'python' },
  allowedHosts: ['catmaid.example.org'],
  addAllowedHost: false,
  defined: ['ALLOWED_HOSTS'],
  ...over,
});

describe('the settings.py block that goes with HTTPS', () => {
  it('always: secure cookies and the proxy header nginx sets', () => {
    const { lines } = djangoSslLines(inputs());
    expect(lines).toEqual(expect.arrayContaining(['SESSION_COOKIE_SECURE = True', 'CSRF_COOKIE_SECURE = True', "SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')"]));
  });

  it('Django 4.0+: CSRF_TRUSTED_ORIGINS with the scheme (and the port when not 443), added to what settings.py has', () => {
    expect(djangoSslLines(inputs()).lines).toContain("CSRF_TRUSTED_ORIGINS = ['https://catmaid.example.org']");
    const more = djangoSslLines(inputs({ origin: httpsOrigin('catmaid.example.org', 8443), defined: ['ALLOWED_HOSTS', 'CSRF_TRUSTED_ORIGINS'] }));
    expect(more.lines).toContain("CSRF_TRUSTED_ORIGINS += ('https://catmaid.example.org:8443',)");
  });

  it('Django 3.2: left out (3.2 takes host names there, a scheme would never match), and said why', () => {
    const out = djangoSslLines(inputs({ version: { major: 3, minor: 2, text: '3.2.25', source: 'python' } }));
    expect(out.lines.join('\n')).not.toContain('CSRF_TRUSTED_ORIGINS');
    expect(out.notes[0]).toMatch(/^Django 3\.2\.25: CSRF_TRUSTED_ORIGINS left out/);
    expect(djangoSslLines(inputs({ version: null })).notes[0]).toMatch(/version is unknown/);
    // On another port than 443 3.2 compares the Referer's host:port, which Debian's uwsgi_params (Host without port) does not give.
    const port = djangoSslLines(inputs({ version: { major: 3, minor: 2, text: '3.2.25', source: 'python' }, origin: httpsOrigin('catmaid.example.org', 8443) }));
    expect(port.lines).toContain("CSRF_TRUSTED_ORIGINS = ['catmaid.example.org:8443']");
  });

  it('ALLOWED_HOSTS: checked with Django\'s own matching; the name is added only when asked', () => {
    expect(hostAllowed('catmaid.example.org', ['.example.org'])).toBe(true);
    expect(hostAllowed('example.org', ['.example.org'])).toBe(true);
    expect(hostAllowed('CATMAID.example.org', ['catmaid.example.org'])).toBe(true);
    expect(hostAllowed('catmaid.example.org', ['*'])).toBe(true);
    expect(hostAllowed('catmaid.example.org', ['other.org', 'localhost'])).toBe(false);
    const missing = djangoSslLines(inputs({ allowedHosts: ['localhost'] }));
    expect(missing.hostAllowed).toBe(false);
    expect(missing.notes.join()).toMatch(/catmaid\.example\.org is not in ALLOWED_HOSTS \(localhost\): Django answers 400/);
    expect(missing.lines.join()).not.toContain('ALLOWED_HOSTS');
    expect(djangoSslLines(inputs({ allowedHosts: ['localhost'], addAllowedHost: true })).lines).toContain("ALLOWED_HOSTS += ('catmaid.example.org',)");
    expect(djangoSslLines(inputs({ allowedHosts: [], addAllowedHost: true, defined: [] })).lines).toContain("ALLOWED_HOSTS = ['catmaid.example.org']");
  });

  it('reads the Django version a checkout pins when the virtualenv cannot tell', () => {
    expect(fromRequirements('psycopg2>=2.8\nDjango==3.2.25\n')).toMatchObject({ major: 3, minor: 2 });
    expect(fromRequirements('django>=4.2,<5.0')).toMatchObject({ major: 4, minor: 2, source: 'requirements' });
    expect(fromRequirements('django-extensions==3.0\n')).toBeNull();
  });
});
