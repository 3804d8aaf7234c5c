import { describe, expect, it } from 'vitest';
import { parseMounts } from '../../src/tasks/checkup/gather/system.js';
import { evaluate } from '../../src/tasks/checkup/rules/index.js';
import { byId, inputs } from './checkup-fixture.js';

const NGINX_CONF = `user www-data;
http {
    gzip on;
    gzip_types text/css application/javascript;
    include /etc/nginx/sites-enabled/*;
}
`;

const SITE = (listen: string, extra = '') => `server {
    ${listen}
    server_name catmaid.example.org;
    ${extra}
    location /tiles/ {
        alias /srv/tiles/;
        expires 1h;
    }
    location / {
        proxy_pass http://127.0.0.1:8000/;
    }
}
`;

function nginx(site: string, version = '1.22.1') {
  return {
    installed: true,
    ok: true,
    version,
    files: [
      { file: '/etc/nginx/nginx.conf', content: NGINX_CONF },
      { file: '/etc/nginx/sites-enabled/catmaid', content: site },
    ],
  };
}

describe('nginx checks from nginx -T', () => {
  it('finds the missing application/json, the short tile expiry, and no TLS yet', () => {
    const checks = evaluate(inputs({ nginx: nginx(SITE('listen 80;')) }));
    expect(byId(checks, 'nginx.gzip').status).toBe('warn');
    expect(byId(checks, 'nginx.gzip').fix?.text).toContain('application/json');
    expect(byId(checks, 'nginx.tiles').status).toBe('warn');
    expect(byId(checks, 'nginx.tiles').current).toContain('/tiles/');
    expect(byId(checks, 'nginx.http2').status).toBe('info');
    expect(byId(checks, 'nginx.access_log').status).toBe('info');
  });

  it('spells HTTP/2 for the nginx version at hand', () => {
    const old = byId(evaluate(inputs({ nginx: nginx(SITE('listen 443 ssl;'), '1.22.1') })), 'nginx.http2');
    expect(old.status).toBe('warn');
    expect(old.suggested).toBe('listen 443 ssl http2;');
    const current = byId(evaluate(inputs({ nginx: nginx(SITE('listen 443 ssl;'), '1.26.0') })), 'nginx.http2');
    expect(current.suggested).toBe('http2 on;');
    expect(byId(evaluate(inputs({ nginx: nginx(SITE('listen 443 ssl;', 'http2 on;'), '1.26.0') })), 'nginx.http2').status).toBe('ok');
  });

  it('passes a tuned site: access_log off, json gzipped, tiles cached for good', () => {
    const site = `server {
    listen 443 ssl http2;
    server_name catmaid.example.org;
    access_log off;
    gzip_types application/json application/octet-stream;
    location /tiles/ { alias /srv/tiles/; expires max; add_header Cache-Control "public"; }
}
`;
    const checks = evaluate(inputs({ nginx: nginx(site) }));
    for (const id of ['nginx.access_log', 'nginx.gzip', 'nginx.http2', 'nginx.tiles']) expect([id, byId(checks, id).status]).toEqual([id, 'ok']);
  });

  it('has no nginx checks when nginx is not installed', () => {
    expect(evaluate(inputs()).filter((c) => c.group === 'web')).toEqual([]);
  });
});

describe('file system checks for --tiles-path', () => {
  const mounts = parseMounts(
    ['/dev/sda1 / ext4 rw,relatime 0 0', '/dev/sdb1 /srv/tiles xfs rw,noatime 0 0', 'nas:/export /mnt/tiles\\040nfs nfs4 rw,relatime 0 0'].join('\n'),
  );

  it('is ok on a noatime mount and warns on relatime', () => {
    expect(byId(evaluate(inputs({ mounts, tilesPath: '/srv/tiles/stack1' })), 'fs.noatime').status).toBe('ok');
    const root = byId(evaluate(inputs({ mounts, tilesPath: '/var/tiles' })), 'fs.noatime');
    expect(root.status).toBe('warn');
    expect(root.fix?.text).toContain('remount,noatime /');
  });

  it('adds the LDAP line for tiles on a network file system, and warns when LDAP has no cache', () => {
    const nfs = evaluate(inputs({ mounts, tilesPath: '/mnt/tiles nfs/a' }));
    expect(byId(nfs, 'fs.noatime').current).toContain('/mnt/tiles nfs');
    expect(byId(nfs, 'fs.ldap').status).toBe('info');
    const ldap = evaluate(inputs({ mounts, tilesPath: '/mnt/tiles nfs', nsswitch: 'passwd: files ldap\ngroup: files ldap\n' }));
    expect(byId(ldap, 'fs.ldap').status).toBe('warn');
  });

  it('has no file system checks without --tiles-path', () => {
    expect(evaluate(inputs({ mounts })).some((c) => c.id.startsWith('fs.'))).toBe(false);
  });
});
