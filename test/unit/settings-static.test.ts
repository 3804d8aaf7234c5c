import { describe, expect, it } from 'vitest';
import { readStaticSource, toEffective, type StaticReading } from '../../src/tasks/instance/settings-static.js';
import { parseLiteral, tokenize } from '../../src/tasks/instance/python-literal.js';

const BASE = `
import os
STATIC_EXTENSION_URL = "/staticext/"
STATIC_EXTENSION_FILES = []
DEBUG = False
`;

const SETTINGS = `# -*- coding: utf-8 -*-
from mysite.settings_base import *  # noqa

DATABASES = {
    'default': {
        'ENGINE': 'django.contrib.gis.db.backends.postgis',  # CATMAID's wrapper in real life
        'NAME': 'catmaid',
        'USER': 'catmaid_user',
        'PASSWORD': 'p#ss"word',
        'HOST': '127.0.0.1',
        'PORT': '5433',
        'ATOMIC_REQUESTS': True,
    }
}
DATABASES['default']['CONN_MAX_AGE'] = 60
SECRET_KEY = os.environ.get('X', 'fallback')   # computed: unknown, must not break the rest
ALLOWED_HOSTS = ['catmaid.example.org',
                 'localhost']
STATIC_EXTENSION_ROOT = '/srv/catmaid/django/staticext'
STATIC_EXTENSION_FILES += ('test.js', )
SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')
if False:
    DEBUG = True
`;

function read(...sources: string[]): StaticReading {
  const reading: StaticReading = { values: {}, unreadable: [] };
  for (const source of sources) readStaticSource(source, reading);
  return reading;
}

describe('the static settings reader (for a settings.py Django cannot import)', () => {
  it('reads the values an admin would expect from settings_base.py and settings.py', () => {
    const settings = toEffective(read(BASE, SETTINGS), 'settings.py');
    expect(settings.database).toEqual({
      name: 'catmaid',
      user: 'catmaid_user',
      password: 'p#ss"word',
      host: '127.0.0.1',
      port: 5433,
    });
    expect(settings.connMaxAge).toBe(60);
    expect(settings.debug).toBe(false);
    expect(settings.allowedHosts).toEqual(['catmaid.example.org', 'localhost']);
    expect(settings.staticExtensionUrl).toBe('/staticext/');
    expect(settings.staticExtensionRoot).toBe('/srv/catmaid/django/staticext');
    expect(settings.secureProxySslHeader).toEqual(['HTTP_X_FORWARDED_PROTO', 'https']);
    expect(settings.sessionCookieSecure).toBe(false);
  });

  it("follows the administration manual's `+= ('test.js', )`: a list extended by a tuple stays a list, as in Python", () => {
    const reading = read(BASE, SETTINGS);
    const settings = toEffective(reading, 'settings.py');
    expect(settings.staticExtensionFiles).toEqual(['test.js']);
    expect(settings.staticExtensionFilesIsList).toBe(true);
    expect(reading.unreadable).toEqual(['SECRET_KEY']);
  });

  it('sees a tuple assigned directly as "not a list"', () => {
    const settings = toEffective(read(SETTINGS, "STATIC_EXTENSION_FILES = ('a.js',)\n"), 'settings.py');
    expect(settings.staticExtensionFiles).toEqual(['a.js']);
    expect(settings.staticExtensionFilesIsList).toBe(false);
  });

  it('follows append and defaults CONN_MAX_AGE to 0 like Django', () => {
    const src = "DATABASES = {'default': {'NAME': 'db'}}\nSTATIC_EXTENSION_FILES = []\nSTATIC_EXTENSION_FILES.append('x.js')\n";
    const settings = toEffective(read(src), 'settings.py');
    expect(settings.staticExtensionFiles).toEqual(['x.js']);
    expect(settings.connMaxAge).toBe(0);
    expect(settings.database.port).toBe(5432);
    expect(settings.database.host).toBe('');
  });

  it('is a clear error when DATABASES cannot be read', () => {
    expect(() => toEffective(read('DATABASES = make_databases()\n'), '/x/settings.py')).toThrow(
      "/x/settings.py: cannot read DATABASES['default'] (DATABASES is computed, not a literal)",
    );
    expect(() => toEffective(read('DEBUG = True\n'), '/x/settings.py')).toThrow(/no DATABASES/);
  });
});

describe('python literals', () => {
  const lit = (text: string) => parseLiteral(tokenize(text).filter((t) => t.type !== 'newline'));
  it('parses strings, numbers, None, nested containers and concatenation', () => {
    expect(lit(`'a' "b"`)).toBe('ab');
    expect(lit('-3.5')).toBe(-3.5);
    expect(lit('None')).toBe(null);
    expect(lit(`r'\\d+'`)).toBe('\\d+');
    expect(lit(`"""multi\nline"""`)).toBe('multi\nline');
    expect(lit(`[1, (2,), {'k': [True]}]`)).toEqual({
      list: [1, { list: [2], tuple: true }, { dict: { k: { list: [true], tuple: false } } }],
      tuple: false,
    });
    expect(lit(`['a'] + ['b']`)).toEqual({ list: ['a', 'b'], tuple: false });
    expect(() => lit(`f'{x}'`)).toThrow();
  });
});
