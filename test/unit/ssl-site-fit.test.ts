import { describe, expect, it } from 'vitest';
import { planListen } from '../../src/tasks/ssl/listen.js';
import { generateSiteConfig } from '../../src/tasks/ssl/nginx-config.js';
import { emptyIncludes, httpBlock, type IncludeSource } from '../../src/tasks/ssl/nginx-includes.js';
import { versionFromText } from '../../src/tasks/ssl/nginx-version.js';
import { planSiteFile } from '../../src/tasks/ssl/site-file.js';
import { DOCS_SITE, HALF_TLS_SITE, NAME, ROOT } from './ssl-site-fixtures.js';

const find = { serverName: NAME, staticRoots: [`${ROOT}/django/static`] };
const none = emptyIncludes('/etc/nginx');
const DEBIAN_PROXY_PARAMS = `proxy_set_header Host $http_host;
proxy_set_header X-Real-IP $remote_addr;
proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
proxy_set_header X-Forwarded-Proto $scheme;
`;
const UWSGI_PARAMS = 'uwsgi_param QUERY_STRING $query_string;\nuwsgi_param REQUEST_METHOD $request_method;\n';
const withFiles = (files: Record<string, string>): IncludeSource => ({ confDir: '/etc/nginx', files: new Map(Object.entries(files)) });

/** The whole new file, as `ssl` would write it for nginx 1.22 with a Let's Encrypt webroot. */
function rewrite(old: string, source = none, http?: ReturnType<typeof httpBlock>): string {
  const plan = planSiteFile(old, find, source, http);
  const config = generateSiteConfig({
    serverName: NAME,
    otherNames: plan.otherNames,
    files: { certificate: '/etc/letsencrypt/live/x/fullchain.pem', key: '/etc/letsencrypt/live/x/privkey.pem' },
    nginxVersion: versionFromText('1.22.1'),
    hsts: true,
    listen: planListen(plan.oldListens, undefined, 'listen', true),
    acmeWebroot: '/var/www/catmaid-acme',
    kept: plan.kept,
    gzip: !plan.hasGzip,
  });
  return plan.compose(config);
}

describe("a site shaped like CATMAID's nginx documentation", () => {
  const plan = planSiteFile(DOCS_SITE, find, none);
  const out = rewrite(DOCS_SITE);

  it('finds every location that hands requests to Django: uWSGI at /catmaid/ and the websocket proxy', () => {
    expect(plan.djangoLocations.map((l) => [l.where, l.kind, l.target, l.action, l.lines])).toEqual([
      ['location /catmaid/channels/', 'proxy', 'http://catmaid-asgi/channels/', 'added', ['proxy_set_header X-Forwarded-Proto $scheme;']],
      ['location /catmaid/', 'uwsgi', 'unix:///var/run/catmaid/uwsgi.socket', 'added', ['uwsgi_param HTTP_X_FORWARDED_PROTO $scheme;']],
    ]);
  });

  it('puts the uwsgi_param right after `include uwsgi_params;` in /catmaid/, where nginx reads it', () => {
    expect(out).toContain('        include uwsgi_params;\n        uwsgi_param HTTP_X_FORWARDED_PROTO $scheme;\n        uwsgi_pass unix:///var/run/catmaid/uwsgi.socket;');
    expect(out).toContain('        proxy_set_header   X-Forwarded-Host $server_name;\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }');
  });

  it('keeps the subdirectory, static/files aliases, tiles, error page and @maintenance, and the upstream block', () => {
    for (const kept of ['location /catmaid/static/ {', `alias ${ROOT}/django/files/;`, 'location ~ /tiles/dataset/(.*)$ {', 'error_page 502 503 504 @maintenance;', 'location @maintenance {', 'rewrite ^(.*)$ /502.html break;', 'client_max_body_size 20m;']) {
      expect(out).toContain(kept);
    }
    expect(out.startsWith('upstream catmaid-asgi {\n    server unix:/var/run/catmaid/daphne.sock;\n}\n')).toBe(true);
    expect(out).not.toMatch(/location \/ \{\n\s+(proxy|uwsgi)_pass/);
  });

  it('listens as before: port 80 (and IPv6) redirect, with the challenge folder; 443 for TLS', () => {
    expect(out).toContain('server {\n    listen 80;\n    listen [::]:80;\n    server_name catmaid.example.org;\n');
    expect(out).toContain('    location ^~ /.well-known/acme-challenge/ {\n        root /var/www/catmaid-acme;');
    expect(out).toContain('    location / {\n        return 301 https://catmaid.example.org$request_uri;\n    }');
    expect(out).toContain('    listen 443 ssl http2;\n    listen [::]:443 ssl http2;\n');
  });

  it('repeats HSTS in /catmaid/, whose own add_header lines hide the server\'s, and in nothing else', () => {
    expect(plan.hstsBlocks).toEqual([]);
    const withHsts = planSiteFile(DOCS_SITE, { ...find, hsts: true }, none);
    expect(withHsts.hstsBlocks).toEqual(['location ~ /tiles/dataset/(.*)$', 'location /catmaid/']);
    expect(withHsts.kept.find((k) => k.startsWith('location /catmaid/ {'))).toContain('        add_header Cache-Control no-cache;\n        add_header Strict-Transport-Security "max-age=63072000" always;');
    // Switched off again, the lines go.
    const again = planSiteFile(`server {\n    server_name ${NAME};\n    ${withHsts.kept.join('\n    ')}\n}\n`, find, none);
    expect(again.hstsBlocks).toEqual(['location ~ /tiles/dataset/(.*)$', 'location /catmaid/']);
    expect(again.kept.join('\n')).not.toContain('Strict-Transport-Security');
  });

  it('gives the same file when run again on what it wrote (nothing added twice)', () => {
    const again = planSiteFile(out, find, none);
    expect(again.djangoLocations.every((l) => l.action === 'present')).toBe(true);
    expect(rewrite(out)).toBe(out);
  });
});

describe('a site half set up for TLS by hand', () => {
  const plan = planSiteFile(HALF_TLS_SITE, find, none);
  const out = rewrite(HALF_TLS_SITE);

  it('replaces the header passed on from the client by the one from the connection', () => {
    expect(plan.djangoLocations[0]).toMatchObject({ action: 'replaced', lines: ['uwsgi_param HTTP_X_FORWARDED_PROTO $scheme;'] });
    expect(out).not.toContain('$http_x_forwarded_proto');
  });

  it('drops the old TLS lines and the server-level redirect, keeps the CORS snippet, and keeps listening on 443', () => {
    expect(out).not.toContain('/etc/ssl/old.pem');
    expect(out).toContain('    include snippets/cors.conf;');
    expect(out.match(/return 301/g)).toHaveLength(1);
    expect(plan.replaced.map((r) => r.line)).toEqual([1, 7]);
    expect(out).toContain('    listen 443 ssl http2;\n    server_name');
  });
});

describe('where the scheme line goes: nginx inherits *_param and proxy_set_header only from a level that sets none', () => {
  it('next to a server-level `include uwsgi_params;`, not in a location that inherits it', () => {
    const site = `server {\n    server_name ${NAME};\n    include uwsgi_params;\n    location /catmaid/ {\n        uwsgi_pass 127.0.0.1:8001;\n    }\n}\n`;
    const plan = planSiteFile(site, find, withFiles({ '/etc/nginx/uwsgi_params': UWSGI_PARAMS }));
    expect(plan.djangoLocations[0]).toMatchObject({ at: 'the server block', action: 'added' });
    expect(plan.kept).toContain('include uwsgi_params;');
    expect(plan.kept).toContain('uwsgi_param HTTP_X_FORWARDED_PROTO $scheme;');
    expect(plan.kept.find((k) => k.startsWith('location /catmaid/'))).not.toContain('uwsgi_param');
  });

  it('with the headers nginx.conf sets at http level repeated, since a line in the location would hide them', () => {
    const main = `http {\n    proxy_set_header Host $http_host;\n    include /etc/nginx/sites-enabled/*;\n}\n`;
    const site = `server {\n    server_name ${NAME};\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n`;
    const plan = planSiteFile(site, find, withFiles({ '/etc/nginx/nginx.conf': main, '/etc/nginx/sites-enabled/catmaid': site }), httpBlock(main));
    expect(plan.djangoLocations[0].lines).toEqual(['proxy_set_header Host $http_host;', 'proxy_set_header X-Forwarded-Proto $scheme;']);
  });

  it("leaves Debian's proxy_params alone when it sets the header, and takes out a second one that would reach Django as 'https,https'", () => {
    const site = `server {\n    server_name ${NAME};\n    location / {\n        include proxy_params;\n        proxy_set_header X-Forwarded-Proto https;\n        proxy_pass http://unix:/run/gunicorn.sock;\n    }\n}\n`;
    const plan = planSiteFile(site, find, withFiles({ '/etc/nginx/proxy_params': DEBIAN_PROXY_PARAMS }));
    expect(plan.djangoLocations[0]).toMatchObject({ action: 'replaced', lines: ['(removed) proxy_set_header X-Forwarded-Proto https;'] });
    expect(plan.kept[0]).toBe('location / {\n        include proxy_params;\n        proxy_pass http://unix:/run/gunicorn.sock;\n    }');
  });

  it('refuses to decide when an included file sets the header from the client', () => {
    const site = `server {\n    server_name ${NAME};\n    location / {\n        include snippets/proxy-headers.conf;\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n`;
    const plan = planSiteFile(site, find, withFiles({ '/etc/nginx/snippets/proxy-headers.conf': 'proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;\n' }));
    expect(plan.problems).toEqual(['/etc/nginx/snippets/proxy-headers.conf (included in location /) sets proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;: change it there to proxy_set_header X-Forwarded-Proto $scheme;']);
  });

  it('adds `include uwsgi_params;` with the line where nothing sets parameters at all, and reaches into if blocks', () => {
    const site = `server {\n    server_name ${NAME};\n    location / { uwsgi_pass unix:/run/u.sock; }\n    location /api/ {\n        if ($request_method = POST) {\n            proxy_pass http://127.0.0.1:8000;\n        }\n    }\n}\n`;
    const plan = planSiteFile(site, find, none);
    expect(plan.kept[0]).toBe('location / { uwsgi_pass unix:/run/u.sock; include uwsgi_params; uwsgi_param HTTP_X_FORWARDED_PROTO $scheme; }');
    expect(plan.djangoLocations[1]).toMatchObject({ where: 'location /api/ › if ($request_method = POST)', at: 'if ($request_method = POST)' });
    expect(plan.kept[1]).toContain('            proxy_pass http://127.0.0.1:8000;\n            proxy_set_header Host $host;\n            proxy_set_header X-Forwarded-Proto $scheme;');
  });
});

describe("which server block is CATMAID's", () => {
  it("the only one that hands requests on, whatever its name; by its static folder; never a stranger's", () => {
    const lone = 'server {\n    listen 8080;\n    server_name _;\n    location /catmaid/ {\n        include uwsgi_params;\n        uwsgi_pass unix:/run/u.sock;\n    }\n}\n';
    expect(planSiteFile(lone, find, none).replaced).toEqual([{ line: 1, serverNames: ['_'] }]);
    const two = `${lone}server {\n    server_name wiki;\n    location / { proxy_pass http://127.0.0.1:9000; }\n}\n`;
    expect(planSiteFile(two, find, none).replaced).toEqual([]);
    const byStatic = `${two}server {\n    server_name localhost;\n    location /static/ { alias ${ROOT}/django/static; }\n}\n`;
    expect(planSiteFile(byStatic, find, none).replaced.map((r) => r.serverNames)).toEqual([['localhost']]);
  });
});
