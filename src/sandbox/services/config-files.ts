import path from 'node:path';
import { CATMAID_SUBDIR, PROGRAMS, SERVICES_GROUP, type ProgramName, type ServicesLayout } from './layout.js';

/** What the configuration files of the sandbox's services are made from. */
export interface ServicesConfig {
  layout: ServicesLayout;
  /** The instance root (DIR/catmaid). */
  root: string;
  /** django/env */
  venv: string;
  uwsgiBinary: string;
  /** `python3` where the distribution links it, else `python3NN`. */
  uwsgiPlugin: string;
  port: number;
  /** Set when we are root: nginx's workers then run as this user, which can reach the sockets. */
  nginxUser?: string;
}

const projects = (root: string): string => `${path.join(root, 'django', 'projects')}/`;

/** supervisord expands `%(name)s` in values: a literal % is written %%. */
const sv = (value: string): string => value.replaceAll('%', '%%');

/** The command line of each program, as the admin docs write them (binaries of the virtualenv). */
export function programCommand(name: ProgramName, c: ServicesConfig): string[] {
  const bin = (tool: string) => path.join(c.venv, 'bin', tool);
  switch (name) {
    case 'uwsgi':
      return [c.uwsgiBinary, '--ini', c.layout.uwsgiIni];
    case 'daphne':
      return [bin('daphne'), `--unix-socket=${c.layout.daphneSocket}`, 'mysite.asgi:application'];
    case 'celery-worker':
      return [bin('celery'), '-A', 'mysite', 'worker', '-l', 'info', `--pidfile=${path.join(c.layout.celeryDir, 'worker.pid')}`];
    case 'celery-beat':
      // Beat writes its schedule and pid file into its working directory unless told: keep the checkout clean.
      return [bin('celery'), '-A', 'mysite', 'beat', '-l', 'info', `--schedule=${path.join(c.layout.celeryDir, 'celerybeat-schedule')}`,
        `--pidfile=${path.join(c.layout.celeryDir, 'beat.pid')}`];
  }
}

/** The main configuration: own socket, pid file and logs; programs come from conf.d/ as on a host. */
export function supervisordConf(c: ServicesConfig): string {
  const { layout } = c;
  return [
    '; supervisord of a catmaid-tui sandbox: its own socket, pid file and logs (not the system\'s supervisord).',
    `; supervisorctl -c ${sv(layout.supervisorConf)} status`,
    '[unix_http_server]',
    `file = ${sv(layout.supervisorSocket)}`,
    'chmod = 0700',
    '',
    '[supervisord]',
    `pidfile = ${sv(layout.supervisorPid)}`,
    `logfile = ${sv(layout.supervisorLog)}`,
    'logfile_maxbytes = 1MB',
    'logfile_backups = 1',
    `childlogdir = ${sv(layout.log)}`,
    `directory = ${sv(layout.base)}`,
    'identifier = catmaid-tui-sandbox',
    '',
    '[rpcinterface:supervisor]',
    'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
    '',
    '[supervisorctl]',
    `serverurl = unix://${sv(layout.supervisorSocket)}`,
    '',
    '[include]',
    `files = ${path.basename(path.dirname(layout.groupConf))}/*.conf`,
    '',
  ].join('\n');
}

function programSection(name: ProgramName, c: ServicesConfig): string[] {
  const lines = [
    `[program:${name}]`,
    `command = ${sv(programCommand(name, c).join(' '))}`,
    `directory = ${sv(projects(c.root))}`,
    `stdout_logfile = ${sv(path.join(c.layout.log, `${name}.log`))}`,
    'stdout_logfile_maxbytes = 1MB',
    'stdout_logfile_backups = 1',
    'redirect_stderr = true',
    'autorestart = true',
    'stopwaitsecs = 10',
    // uWSGI's workers and celery's pool are children, stopped by their parent; a SIGKILL (after stopwaitsecs)
    // goes to them too. Not stopasgroup: celery's warm shutdown hangs when its pool gets SIGTERM directly.
    'killasgroup = true',
  ];
  // uWSGI takes supervisord's default SIGTERM as "brutal reload", not as stop.
  if (name === 'uwsgi') lines.push('stopsignal = INT');
  return [...lines, ''];
}

/** conf.d/catmaid.conf: the group of CATMAID's programs, as in CATMAID's administration manual. */
export function groupConf(c: ServicesConfig): string {
  return [
    `; CATMAID's services. Restart them all: supervisorctl -c ${sv(c.layout.supervisorConf)} restart ${SERVICES_GROUP}:`,
    ...PROGRAMS.flatMap((name) => programSection(name, c)),
    `[group:${SERVICES_GROUP}]`,
    `programs = ${PROGRAMS.join(',')}`,
    '',
  ].join('\n');
}

/** catmaid.ini: uWSGI on a unix socket, mounted at the subdirectory, with a stats socket (uwsgitop). */
export function uwsgiIni(c: ServicesConfig): string {
  return [
    '; uWSGI instance configuration for CATMAID',
    '[uwsgi]',
    `plugins = ${c.uwsgiPlugin}`,
    `virtualenv = ${c.venv}`,
    `chdir = ${path.join(c.root, 'django')}`,
    `socket = ${c.layout.uwsgiSocket}`,
    'chmod-socket = 660',
    // No trailing slash after the mount point: it must match nginx's location exactly.
    `mount = ${CATMAID_SUBDIR}=${path.join(c.root, 'django', 'projects', 'mysite', 'django.wsgi')}`,
    'manage-script-name = true',
    'master = true',
    'workers = 2',
    'threads = 2',
    `stats = ${c.layout.uwsgiStats}`,
    'need-app = true',
    'vacuum = true',
    'disable-logging = true',
    '',
  ].join('\n');
}
