import path from 'node:path';
import type { ServicesConfig } from './config-files.js';
import { CATMAID_SUBDIR } from './layout.js';

/** The private nginx's main configuration: own pid file, logs and temp folders; the site is a file of its own. */
export function nginxConf(c: ServicesConfig): string {
  const { layout } = c;
  const prefix = layout.nginxPrefix;
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path ${path.join(prefix, 'tmp', t)};`);
  return [
    '# nginx of a catmaid-tui sandbox: its own prefix, pid file and logs (the system\'s nginx is not touched).',
    '# The site is a file of its own, included as /etc/nginx/nginx.conf includes sites-enabled/ on a host.',
    ...(c.nginxUser ? [`user ${c.nginxUser};`] : []),
    'worker_processes 1;',
    `pid ${layout.nginxPid};`,
    `error_log ${path.join(prefix, 'logs', 'error.log')};`,
    'events {',
    '    worker_connections 256;',
    '}',
    'http {',
    '    include mime.types;',
    '    default_type application/octet-stream;',
    `    access_log ${path.join(prefix, 'logs', 'access.log')};`,
    ...temp,
    `    include ${layout.siteFile};`,
    '}',
    '',
  ].join('\n');
}

/**
 * sites-enabled/catmaid: CATMAID in a subdirectory as CATMAID's administration manual lays it out: static
 * files by alias, the app through uWSGI, websockets through daphne, extension files at STATIC_EXTENSION_URL,
 * and a static page while the app is down.
 */
export function siteConf(c: ServicesConfig): string {
  const { layout, root } = c;
  const sub = CATMAID_SUBDIR;
  return [
    '# CATMAID at ' + `${sub}/ (catmaid-tui sandbox)`,
    'server {',
    `    listen 127.0.0.1:${c.port};`,
    '    server_name 127.0.0.1 localhost;',
    '',
    "    # Django's static files (manage.py collectstatic)",
    `    location ${sub}/static/ {`,
    `        alias ${path.join(root, 'django', 'static')}/;`,
    '    }',
    '',
    '    # Front-end extensions: STATIC_EXTENSION_URL serves STATIC_EXTENSION_ROOT',
    `    location ${sub}/staticext/ {`,
    `        alias ${path.join(root, 'django', 'staticext')}/;`,
    '    }',
    '',
    '    # Websockets (ASGI) to daphne',
    `    location ${sub}/channels/ {`,
    `        proxy_pass http://unix:${layout.daphneSocket};`,
    '        proxy_http_version 1.1;',
    '        proxy_set_header Upgrade $http_upgrade;',
    '        proxy_set_header Connection "upgrade";',
    '        proxy_redirect off;',
    '        proxy_set_header Host $host;',
    '        proxy_set_header X-Real-IP $remote_addr;',
    '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '        proxy_set_header X-Forwarded-Host $server_name;',
    '        proxy_set_header X-Forwarded-Proto $scheme;',
    '    }',
    '',
    '    # All other CATMAID requests to uWSGI',
    `    location ${sub}/ {`,
    '        include uwsgi_params;',
    '        uwsgi_param HTTP_X_FORWARDED_PROTO $scheme;',
    `        uwsgi_pass unix:${layout.uwsgiSocket};`,
    '    }',
    '',
    '    # While the app is down (stopped for an update) a static page answers, with the error status',
    '    error_page 502 503 @maintenance;',
    '    location @maintenance {',
    `        root ${path.dirname(layout.maintenancePage)};`,
    `        rewrite ^ /${path.basename(layout.maintenancePage)} break;`,
    '    }',
    '}',
    '',
  ].join('\n');
}

export const MAINTENANCE_HTML = [
  '<!DOCTYPE html>',
  '<html lang="en">',
  '<head><meta charset="utf-8"><title>CATMAID: maintenance</title></head>',
  '<body>',
  '<h1>CATMAID is down for maintenance</h1>',
  '<p>It is being updated and will be back in a few minutes.</p>',
  '</body>',
  '</html>',
  '',
].join('\n');
