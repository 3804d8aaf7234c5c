import { describe, expect, it } from 'vitest';
import { groupConf, programCommand, supervisordConf, uwsgiIni, type ServicesConfig } from '../../src/sandbox/services/config-files.js';
import { servicesLayout, servicesRunDir } from '../../src/sandbox/services/layout.js';
import { nginxConf, siteConf } from '../../src/sandbox/services/nginx-files.js';
import { assertPlainPath } from '../../src/sandbox/services/prepare.js';
import { withDescendants } from '../../src/sandbox/services/processes.js';
import { parseStatusLine } from '../../src/sandbox/services/supervisor.js';

const DIR = '/srv/sb';
const config = (over: Partial<ServicesConfig> = {}): ServicesConfig => ({
  layout: servicesLayout(DIR),
  root: `${DIR}/catmaid`,
  venv: `${DIR}/catmaid/django/env`,
  uwsgiBinary: '/usr/bin/uwsgi',
  uwsgiPlugin: 'python3',
  port: 8123,
  ...over,
});

describe("the sandbox services' configuration files", () => {
  it('supervisord has its own socket, pid file and logs in the sandbox and includes conf.d/', () => {
    const conf = supervisordConf(config());
    expect(conf).toContain(`[unix_http_server]\nfile = ${DIR}/services/run/supervisor.sock\nchmod = 0700`);
    expect(conf).toContain(`pidfile = ${DIR}/services/run/supervisord.pid`);
    expect(conf).toContain(`serverurl = unix://${DIR}/services/run/supervisor.sock`);
    expect(conf).toContain('[include]\nfiles = conf.d/*.conf');
  });

  it('groups the four programs as catmaid, in django/projects/, uWSGI stopped with INT', () => {
    const conf = groupConf(config());
    expect(conf).toContain('[group:catmaid]\nprograms = uwsgi,daphne,celery-worker,celery-beat');
    expect(conf.match(/^directory = .*$/gm)).toEqual(Array(4).fill(`directory = ${DIR}/catmaid/django/projects/`));
    expect(conf.match(/^stopsignal = .*$/gm)).toEqual(['stopsignal = INT']);
    expect(conf).toContain(`[program:uwsgi]\ncommand = /usr/bin/uwsgi --ini ${DIR}/services/uwsgi/catmaid.ini`);
    expect(programCommand('daphne', config())).toEqual([`${DIR}/catmaid/django/env/bin/daphne`,
      `--unix-socket=${DIR}/services/run/daphne.socket`, 'mysite.asgi:application']);
    expect(programCommand('celery-worker', config()).slice(0, 6)).toEqual([`${DIR}/catmaid/django/env/bin/celery`, '-A', 'mysite', 'worker', '-l', 'info']);
    // Beat's schedule and pid file stay out of the checkout.
    expect(programCommand('celery-beat', config()).filter((a) => a.includes('/catmaid/'))).toEqual([`${DIR}/catmaid/django/env/bin/celery`]);
  });

  it('escapes % for supervisord, whose values expand %(name)s', () => {
    expect(supervisordConf(config({ layout: servicesLayout('/srv/a%b') }))).toContain('file = /srv/a%%b/services/run/supervisor.sock');
  });

  it('mounts uWSGI at /catmaid without a trailing slash, on a unix socket with a stats socket', () => {
    const ini = uwsgiIni(config());
    expect(ini).toContain(`socket = ${DIR}/services/run/uwsgi.socket\n`);
    expect(ini).toContain(`mount = /catmaid=${DIR}/catmaid/django/projects/mysite/django.wsgi\nmanage-script-name = true`);
    expect(ini).toContain(`stats = ${DIR}/services/run/uwsgi-stats.socket`);
    expect(ini).toMatch(/^workers = 2$/m);
  });

  it("lays nginx's site out as the manual does, in a file of its own", () => {
    const site = siteConf(config());
    expect(site).toContain(`    location /catmaid/static/ {\n        alias ${DIR}/catmaid/django/static/;\n    }`);
    expect(site).toContain(`    location /catmaid/staticext/ {\n        alias ${DIR}/catmaid/django/staticext/;\n    }`);
    expect(site).toContain(`    location /catmaid/ {\n        include uwsgi_params;\n        uwsgi_param HTTP_X_FORWARDED_PROTO $scheme;\n        uwsgi_pass unix:${DIR}/services/run/uwsgi.socket;`);
    expect(site).toContain(`proxy_pass http://unix:${DIR}/services/run/daphne.socket;`);
    expect(site).toContain('proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection "upgrade";');
    expect(site).toContain('error_page 502 503 @maintenance;');
    expect(site).toContain(`root ${DIR}/services/www;\n        rewrite ^ /maintenance.html break;`);
    expect(site).toContain('listen 127.0.0.1:8123;');
    const conf = nginxConf(config());
    expect(conf).toContain(`pid ${DIR}/services/nginx/nginx.pid;`);
    expect(conf).toContain(`include ${DIR}/services/nginx/sites-enabled/catmaid;`);
    expect(conf).not.toContain('user ');
    expect(nginxConf(config({ nginxUser: 'root' }))).toContain('user root;');
  });

  it('puts the sockets in a short folder in /tmp when the sandbox path is too long for them', () => {
    expect(servicesRunDir(DIR)).toBe(`${DIR}/services/run`);
    const long = `/tmp/${'x'.repeat(100)}`;
    expect(servicesRunDir(long)).toMatch(/^\/tmp\/catmaid-tui-svc-[0-9a-f]{12}$/);
    expect(servicesRunDir(long)).toBe(servicesRunDir(long));
  });

  it('refuses sandbox paths with characters the configuration files would read otherwise', () => {
    expect(() => assertPlainPath('/srv/sandbox-1/a_b')).not.toThrow();
    for (const bad of ['/srv/a b', '/srv/a;b', '/srv/a%b', '/srv/a:b', '/srv/a\nb', '/srv/"a"']) {
      expect(() => assertPlainPath(bad), bad).toThrow(/letters, digits/);
    }
  });
});

describe('reading supervisorctl and /proc', () => {
  it('parses status lines', () => {
    expect(parseStatusLine('catmaid:uwsgi                    RUNNING   pid 4242, uptime 0:00:05')).toEqual({
      name: 'catmaid:uwsgi', state: 'RUNNING', pid: 4242, description: 'pid 4242, uptime 0:00:05' });
    expect(parseStatusLine('catmaid:daphne  FATAL     Exited too quickly (process log may have details)')).toMatchObject({
      state: 'FATAL', pid: null, description: 'Exited too quickly (process log may have details)' });
    expect(parseStatusLine('')).toBeNull();
  });

  it('finds the processes below a live parent', () => {
    const list = [{ pid: 2, ppid: 1 }, { pid: 3, ppid: 2 }, { pid: 4, ppid: 3 }, { pid: 5, ppid: 9 }].map((p) => ({ ...p, command: '' }));
    expect([...withDescendants([2], list)].sort()).toEqual([2, 3, 4]);
  });
});
