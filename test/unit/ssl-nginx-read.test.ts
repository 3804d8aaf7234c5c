import { describe, expect, it } from 'vitest';
import { findCatmaidServers } from '../../src/tasks/ssl/nginx-read.js';
import { parseNginx, splitDump } from '../../src/tasks/ssl/nginx-parse.js';
import { emptyIncludes } from '../../src/tasks/ssl/nginx-includes.js';
import { planSiteFile } from '../../src/tasks/ssl/site-file.js';

const OLD_SITE = `# the admin's own comment stays
server {
    listen 80 default_server;
    server_name _;
    root /var/www/html;
}

server {
    listen 80;
    server_name catmaid.example.org;
    include snippets/snakeoil.conf;
    client_max_body_size 100m;   # big imports
    location /static/ {
        alias /srv/catmaid/django/static/;
    }
    location /tiles/ {
        alias /srv/tiles/;
        expires max;
    }
    location / {
        proxy_pass http://127.0.0.1:8000/;
        proxy_set_header Host "$host";
    }
}
`;

const DUMP = `nginx: the configuration file /etc/nginx/nginx.conf syntax is ok
# configuration file /etc/nginx/nginx.conf:
http {
    include /etc/nginx/sites-enabled/*;
}

# configuration file /etc/nginx/sites-enabled/catmaid:
${OLD_SITE}
`;

describe('reading the running configuration (nginx -T)', () => {
  it('splits the dump into its files', () => {
    const files = splitDump(DUMP);
    expect(files.map((f) => f.file)).toEqual(['/etc/nginx/nginx.conf', '/etc/nginx/sites-enabled/catmaid']);
    expect(files[1].content).toBe(OLD_SITE);
  });

  it('finds the CATMAID server block by server_name, with its upstream and static folders', () => {
    const [found] = findCatmaidServers(splitDump(DUMP), { serverName: 'catmaid.example.org' });
    expect(found).toMatchObject({
      file: '/etc/nginx/sites-enabled/catmaid',
      line: 8,
      serverNames: ['catmaid.example.org'],
      listens: ['80'],
      upstream: { kind: 'http', address: 'http://127.0.0.1:8000/' },
      matchedBy: 'server_name',
    });
    expect(found.locations).toContainEqual({ url: '/static/', dir: '/srv/catmaid/django/static/' });
  });

  it('finds it by upstream when the name differs, as the lone application server, and never among several', () => {
    const files = splitDump(DUMP);
    expect(findCatmaidServers(files, { serverName: 'new.example.org', upstream: '127.0.0.1:8000' })[0]?.matchedBy).toBe('upstream');
    // The only block that hands requests to an application is taken as CATMAID's, and said so; with two, none is.
    expect(findCatmaidServers(files, { serverName: 'new.example.org', upstream: '127.0.0.1:9999' }).map((s) => s.matchedBy)).toEqual(['django']);
    const wiki = { file: '/etc/nginx/sites-enabled/wiki', content: 'server { server_name wiki; location / { proxy_pass http://127.0.0.1:9000; } }\n' };
    expect(findCatmaidServers([...files, wiki], { serverName: 'new.example.org', upstream: '127.0.0.1:9999' })).toEqual([]);
  });

  it('reads quotes, comments and nesting, and names the line of a missing brace', () => {
    const [server] = parseNginx('server { # c\n  add_header X "a;b" always;\n  location / { return 200; }\n}');
    expect(server.children?.[0]).toMatchObject({ name: 'add_header', args: ['X', 'a;b', 'always'], line: 2 });
    expect(server.children?.[1].children?.[0].name).toBe('return');
    expect(() => parseNginx('server {\n  listen 80;\n')).toThrow(/line 1/);
  });
});

describe('turning the old site file into the new one', () => {
  const plan = planSiteFile(OLD_SITE, { serverName: 'catmaid.example.org' }, emptyIncludes());
  const out = plan.compose('server { listen 443 ssl; }\n');

  it('replaces only the CATMAID block; the other server and the comment stay as they were', () => {
    expect(plan.replaced).toEqual([{ line: 8, serverNames: ['catmaid.example.org'] }]);
    expect(out.startsWith(OLD_SITE.slice(0, OLD_SITE.indexOf('server {\n    listen 80;\n')))).toBe(true);
    expect(out).toContain('server_name _;');
    expect(out).toContain('server { listen 443 ssl; }');
    expect(out).not.toContain('catmaid.example.org');
  });

  it('keeps what it does not generate (static, tiles, body size, the Django location with the scheme) and drops what would clash (snakeoil TLS)', () => {
    expect(plan.kept).toEqual([
      'client_max_body_size 100m;',
      'location /static/ {\n        alias /srv/catmaid/django/static/;\n    }',
      'location /tiles/ {\n        alias /srv/tiles/;\n        expires max;\n    }',
      'location / {\n        proxy_pass http://127.0.0.1:8000/;\n        proxy_set_header Host "$host";\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }',
    ]);
    expect(plan.servedPaths).toEqual(['/static/', '/tiles/', '/']);
  });

  it('appends to a file without a CATMAID block and starts a missing one', () => {
    expect(planSiteFile('server { server_name other; }\n', { serverName: 'catmaid.example.org' }, emptyIncludes()).compose('NEW\n')).toBe('server { server_name other; }\n\nNEW\n');
    expect(planSiteFile(null, { serverName: 'catmaid.example.org' }, emptyIncludes()).compose('NEW\n')).toBe('NEW\n');
  });
});
