import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findInstanceProcesses, programOf } from '../../src/tasks/instance/processes.js';
import { readServiceSetup, programsToRestart } from '../../src/tasks/update/services/setup.js';
import { celeryPing, servicesPlan } from '../../src/tasks/update/services/services-plan.js';
import { readSupervisorConfig, supervisorSetupsFor, supervisorTargets } from '../../src/tasks/update/services/supervisor.js';
import { systemdUnitsFor } from '../../src/tasks/update/services/systemd.js';
import { catmaidEntry } from '../../src/tasks/update/services/web.js';

/**
 * How an instance runs, read from a fake /proc tree and configuration files shaped as on a host: supervisord
 * with conf.d includes and a group, systemd units, nginx's dump. The real programs run in the integration tests.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'update-services-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const ROOT = path.join(tmp, 'srv', 'catmaid');
fs.mkdirSync(path.join(ROOT, 'django', 'projects'), { recursive: true });

function proc(entries: { pid: number; ppid: number; argv: string[]; cwd?: string; env?: Record<string, string>; cgroup?: string }[]): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'proc-'));
  for (const e of entries) {
    const p = path.join(dir, String(e.pid));
    fs.mkdirSync(p);
    fs.writeFileSync(path.join(p, 'cmdline'), `${e.argv.join('\0')}\0`);
    fs.writeFileSync(path.join(p, 'stat'), `${e.pid} (${path.basename(e.argv[0])}) S ${e.ppid} 1 1 0 -1`);
    fs.writeFileSync(path.join(p, 'environ'), Object.entries(e.env ?? {}).map(([k, v]) => `${k}=${v}`).join('\0'));
    fs.writeFileSync(path.join(p, 'cgroup'), e.cgroup ?? '0::/user.slice/session-1.scope\n');
    fs.symlinkSync(e.cwd ?? '/', path.join(p, 'cwd'));
  }
  return dir;
}

const etc = path.join(tmp, 'etc', 'supervisor');
fs.mkdirSync(path.join(etc, 'conf.d'), { recursive: true });
fs.writeFileSync(path.join(etc, 'supervisord.conf'), '[unix_http_server]\nfile = /var/run/supervisor.sock ; the socket\n\n[include]\nfiles = conf.d/*.conf\n');
fs.writeFileSync(path.join(etc, 'conf.d', 'catmaid.conf'), [
  '[program:catmaid-uwsgi]',
  `command = ${ROOT}/django/env/bin/uwsgi --ini ${ROOT}/django/projects/mysite/uwsgi.ini`,
  `directory = ${ROOT}/django/projects/`,
  'stopsignal = INT',
  '',
  '[program:catmaid-celery]',
  `command = ${ROOT}/django/env/bin/celery -A mysite worker -l info`,
  `directory = ${ROOT}/django/projects/`,
  '',
  '[group:catmaid]',
  'programs = catmaid-uwsgi,catmaid-celery',
  '',
].join('\n'));
fs.writeFileSync(path.join(etc, 'conf.d', 'other.conf'), '[program:other-app]\ncommand = /srv/other/run\ndirectory = /srv/other\n');

describe("supervisord's configuration", () => {
  it('reads programs and groups through [include], values with comments stripped', () => {
    const programs = readSupervisorConfig(path.join(etc, 'supervisord.conf'));
    expect(programs.map((p) => `${p.group}:${p.name}`)).toEqual(['catmaid:catmaid-uwsgi', 'catmaid:catmaid-celery', 'null:other-app']);
  });

  it("finds the running supervisord's programs of this root only, and stops the group whole", () => {
    const tree = proc([{ pid: 10, ppid: 1, argv: ['/usr/bin/python3', '/usr/bin/supervisord', '-n', '-c', path.join(etc, 'supervisord.conf')] }]);
    const [setup] = supervisorSetupsFor(ROOT, tree);
    expect(setup.programs.map((p) => p.name)).toEqual(['catmaid-uwsgi', 'catmaid-celery']);
    expect(supervisorTargets(setup)).toEqual(['catmaid:']);
    expect(supervisorSetupsFor(path.join(tmp, 'elsewhere'), tree)).toEqual([]);
  });
});

describe('processes of the instance', () => {
  it('names each by program, and knows which a service manager runs', () => {
    const tree = proc([
      { pid: 10, ppid: 1, argv: ['/usr/bin/supervisord', '-c', path.join(etc, 'supervisord.conf')] },
      { pid: 20, ppid: 10, argv: [`${ROOT}/django/env/bin/uwsgi`, '--ini', 'x.ini'], cwd: `${ROOT}/django/projects`, env: { SUPERVISOR_GROUP_NAME: 'catmaid', SUPERVISOR_PROCESS_NAME: 'catmaid-uwsgi' } },
      { pid: 21, ppid: 20, argv: [`${ROOT}/django/env/bin/uwsgi`, '--ini', 'x.ini'], cwd: `${ROOT}/django/projects` },
      { pid: 30, ppid: 1, argv: [`${ROOT}/django/env/bin/python`, `${ROOT}/django/env/bin/celery`, '-A', 'mysite', 'beat'], cwd: `${ROOT}/django/projects` },
      { pid: 40, ppid: 1, argv: ['/usr/bin/python3', 'run-gevent.py'], cwd: `${ROOT}/django/projects/mysite`, cgroup: '0::/system.slice/catmaid-gevent.service\n' },
      { pid: 50, ppid: 1, argv: ['/bin/bash'], cwd: ROOT },
      { pid: 60, ppid: 1, argv: ['timeout', '20', `${ROOT}/django/env/bin/celery`, 'worker'], cwd: ROOT },
    ]);
    const found = findInstanceProcesses(ROOT, { supervisords: new Map([[10, 'conf']]), units: new Set(['catmaid-gevent.service']) }, tree);
    expect(found.map((p) => [p.pid, p.program, p.manager?.kind ?? '-', p.manager?.kind === 'supervisor' ? p.manager.program : p.manager?.kind === 'systemd' ? p.manager.unit : '-'])).toEqual([
      [20, 'uwsgi', 'supervisor', 'catmaid:catmaid-uwsgi'],
      [21, 'uwsgi', 'supervisor', null],
      [30, 'celery beat', '-', '-'],
      [40, 'gevent runner', 'systemd', 'catmaid-gevent.service'],
    ]);
    expect(programOf(['python3', '-m', 'celery', '-A', 'mysite', 'worker'])).toBe('celery worker');
    expect(programOf(['python', 'manage.py', 'shell'])).toBe('manage.py shell');
  });
});

describe('systemd units', () => {
  it('are the ones whose WorkingDirectory or ExecStart point into the root; systemctl is asked which run', async () => {
    const units = path.join(tmp, 'units');
    fs.mkdirSync(units, { recursive: true });
    fs.writeFileSync(path.join(units, 'catmaid-gunicorn.service'), `[Unit]\nDescription=CATMAID\n[Service]\nWorkingDirectory=${ROOT}/django/projects\nExecStart=${ROOT}/django/env/bin/gunicorn mysite.wsgi\n`);
    fs.writeFileSync(path.join(units, 'catmaid-celery.service'), `[Service]\nExecStart=${ROOT}/django/env/bin/celery -A mysite worker\n`);
    fs.writeFileSync(path.join(units, 'nginx.service'), '[Service]\nExecStart=/usr/sbin/nginx\n');
    expect(systemdUnitsFor(ROOT, [units]).map((u) => u.name).sort()).toEqual(['catmaid-celery.service', 'catmaid-gunicorn.service']);

    // A systemctl that says what it was asked, and that only catmaid-gunicorn runs.
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'systemctl'), `#!/bin/sh\necho "$@" >> ${tmp}/systemctl.log\n[ "$3" = catmaid-gunicorn.service ] && exit 0\nexit 3\n`, { mode: 0o755 });
    const setup = await readServiceSetup(ROOT, { proc: proc([]), unitDirs: [units], env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(setup.stop).toEqual([{ file: 'systemctl', args: ['stop', 'catmaid-gunicorn.service'], cwd: ROOT }]);
    expect(setup.start).toEqual([{ file: 'systemctl', args: ['start', 'catmaid-gunicorn.service'], cwd: ROOT }]);
    expect(programsToRestart(setup)).toEqual(['catmaid-gunicorn.service']);
    expect(fs.readFileSync(path.join(tmp, 'systemctl.log'), 'utf8').split('\n').filter(Boolean).sort()).toEqual([
      'is-active --quiet catmaid-celery.service',
      'is-active --quiet catmaid-gunicorn.service',
    ]);
    expect(servicesPlan(ROOT, setup, null).health).toEqual([]);
  });

  it('celery ping is the worker command up to "worker"', () => {
    expect(celeryPing('/env/bin/celery -A mysite worker -l info')).toEqual(['/env/bin/celery', '-A', 'mysite', 'inspect', 'ping', '--timeout', '5']);
    expect(celeryPing('/env/bin/uwsgi --ini x')).toBeNull();
  });
});

describe("CATMAID's address in nginx's configuration", () => {
  it("is the server whose static location aliases the checkout's django/static, in the administration manual's layout", () => {
    const site = [
      'server {',
      '    listen 443 ssl;',
      '    server_name catmaid.example.org;',
      `    location /catmaid/static/ { alias ${ROOT}/django/static/; }`,
      '    location /catmaid/channels/ { proxy_pass http://unix:/run/daphne.sock; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"; }',
      '    location /catmaid/ { include uwsgi_params; uwsgi_pass unix:///run/catmaid/uwsgi.socket; }',
      '}',
    ].join('\n');
    expect(catmaidEntry([{ file: '/etc/nginx/sites-enabled/other', content: 'server { listen 80; location /static/ { alias /srv/other/static/; } }' }, { file: '/etc/nginx/sites-enabled/catmaid', content: site }], ROOT)).toEqual({
      url: 'https://catmaid.example.org/catmaid/',
      connect: { host: '127.0.0.1', port: 443, tls: true },
      host: 'catmaid.example.org',
      websocketPath: '/catmaid/channels/updates/',
      found: '/etc/nginx/sites-enabled/catmaid',
    });
  });
});
