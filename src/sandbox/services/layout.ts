import crypto from 'node:crypto';
import path from 'node:path';

/** The sandbox's CATMAID lives in this subdirectory of its web server, as CATMAID's administration manual shows it. */
export const CATMAID_SUBDIR = '/catmaid';

/** supervisord's group, and its programs in start order. */
export const SERVICES_GROUP = 'catmaid';
export const PROGRAMS = ['uwsgi', 'daphne', 'celery-worker', 'celery-beat'] as const;
export type ProgramName = (typeof PROGRAMS)[number];

const SOCKET_PATH_MAX = 107;
const LONGEST_SOCKET = 'uwsgi-stats.socket';

/** DIR/services/run, unless a socket's path would pass the kernel's limit; then a short folder in /tmp. */
export function servicesRunDir(dir: string): string {
  const inside = path.join(dir, 'services', 'run');
  if (path.join(inside, LONGEST_SOCKET).length <= SOCKET_PATH_MAX) return inside;
  return path.join('/tmp', `catmaid-tui-svc-${crypto.createHash('sha1').update(dir).digest('hex').slice(0, 12)}`);
}

/**
 * Where the services' files live: all under DIR/services (sockets in its run/ folder), none in the checkout,
 * so git sees no change there. Configuration files are laid out as on a host: supervisord.conf including
 * conf.d/catmaid.conf, nginx.conf including sites-enabled/catmaid.
 */
export function servicesLayout(dir: string) {
  const base = path.join(dir, 'services');
  const run = servicesRunDir(dir);
  const nginx = path.join(base, 'nginx');
  return {
    base,
    run,
    log: path.join(base, 'log'),
    supervisorLog: path.join(base, 'log', 'supervisord.log'),
    supervisorConf: path.join(base, 'supervisord.conf'),
    groupConf: path.join(base, 'conf.d', `${SERVICES_GROUP}.conf`),
    supervisorSocket: path.join(run, 'supervisor.sock'),
    supervisorPid: path.join(run, 'supervisord.pid'),
    uwsgiIni: path.join(base, 'uwsgi', `${SERVICES_GROUP}.ini`),
    uwsgiSocket: path.join(run, 'uwsgi.socket'),
    uwsgiStats: path.join(run, LONGEST_SOCKET),
    daphneSocket: path.join(run, 'daphne.socket'),
    celeryDir: path.join(base, 'celery'),
    broker: path.join(base, 'broker'),
    nginxPrefix: nginx,
    nginxConf: path.join(nginx, 'nginx.conf'),
    siteFile: path.join(nginx, 'sites-enabled', SERVICES_GROUP),
    nginxPid: path.join(nginx, 'nginx.pid'),
    maintenancePage: path.join(base, 'www', 'maintenance.html'),
  };
}

export type ServicesLayout = ReturnType<typeof servicesLayout>;

/** The CATMAID URL through the sandbox's nginx. */
export const servicesUrl = (port: number): string => `http://127.0.0.1:${port}${CATMAID_SUBDIR}/`;
