import { formatBytes } from '../bytes.js';
import { describeProcesses, type InstanceProcess } from './processes.js';
import type { InstanceInfo } from './types.js';

/** The instance as `info --json` shows it: the password replaced by "***" (or absent when there is none). */
export function infoJson(info: InstanceInfo): Record<string, unknown> {
  const { settings, source, fallbackReason } = info.settings;
  const { password, ...database } = settings.database;
  return {
    name: info.name,
    root: info.layout.root,
    managePy: info.layout.managePy,
    settingsPy: info.layout.settingsPy,
    settingsBasePy: info.layout.settingsBasePy,
    python: info.layout.python,
    virtualenv: info.layout.virtualenv,
    git: info.git,
    settings: {
      source,
      ...(fallbackReason ? { fallbackReason } : {}),
      ...settings,
      database: { ...database, ...(password ? { password: '***' } : {}) },
    },
    database: info.database,
    servers: info.servers,
    processes: info.processes,
  };
}

const managerOf = (p: InstanceProcess): string =>
  !p.manager ? 'no service manager' : p.manager.kind === 'systemd' ? `systemd ${p.manager.unit}` : `supervisord ${p.manager.program ?? p.manager.conf}`;

/** One row per program and who runs it: `celery worker (pid 41) · supervisord catmaid:celery-worker`. */
function processRows(processes: readonly InstanceProcess[]): [string, string][] {
  if (processes.length === 0) return [['processes', 'none running']];
  const groups = new Map<string, InstanceProcess[]>();
  for (const p of processes) {
    const key = `${p.program}\0${managerOf(p)}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()].map((list, i) => [i === 0 ? 'processes' : '', `${describeProcesses(list).join('')} · ${managerOf(list[0])}`]);
}


const show = (value: unknown): string =>
  value === null ? 'None' : typeof value === 'boolean' ? (value ? 'True' : 'False') : JSON.stringify(value);

/** `info` for people: label/value rows, in the order an admin reads them. */
export function infoRows(info: InstanceInfo): [string, string][] {
  const s = info.settings.settings;
  const g = info.git;
  const db = info.database;
  const rows: [string, string][] = [
    ['instance', info.name],
    ['root', info.layout.root],
    ['manage.py', info.layout.managePy],
    ['settings.py', info.layout.settingsPy],
    ['python', `${info.layout.python}${info.layout.virtualenv ? ' (virtualenv)' : ' (no django/env)'}`],
  ];
  if ('error' in g) rows.push(['git', `unreadable: ${g.error}`]);
  else {
    rows.push(
      ['version', `${g.describe ?? g.shortCommit} (${g.branch ?? 'detached'} @ ${g.shortCommit})`],
      ['latest release', g.latestRelease ?? 'none reachable'],
      ['working tree', g.dirty ? `dirty (${g.changes.length} changed)` : 'clean'],
    );
  }
  const source =
    info.settings.source === 'django' ? 'from Django' : `read statically (${info.settings.fallbackReason ?? ''})`;
  rows.push(
    ['settings', source],
    ['database', `${s.database.name} as ${s.database.user} @ ${s.database.host || 'local socket'}:${s.database.port}`],
    [
      'reachable',
      db.reachable
        ? `yes · PostgreSQL ${db.serverVersion} · ${formatBytes(db.sizeBytes ?? 0)}`
        : `no · ${db.error ?? 'unknown error'}`,
    ],
    [
      'server',
      info.servers.length === 0
        ? 'not running'
        : `running: ${info.servers.map((p) => `${p.kind} ${p.pid}`).join(', ')}`,
    ],
    ...processRows(info.processes),
    ['CONN_MAX_AGE', show(s.connMaxAge)],
    ['DEBUG', show(s.debug)],
    ['ALLOWED_HOSTS', show(s.allowedHosts)],
    ['STATIC_EXTENSION_URL', show(s.staticExtensionUrl)],
    ['STATIC_EXTENSION_ROOT', show(s.staticExtensionRoot)],
    ['STATIC_EXTENSION_FILES', `${show(s.staticExtensionFiles)}${s.staticExtensionFilesIsList ? '' : ' (not a list!)'}`],
    ['SESSION_COOKIE_SECURE', show(s.sessionCookieSecure)],
    ['CSRF_COOKIE_SECURE', show(s.csrfCookieSecure)],
    ['SECURE_PROXY_SSL_HEADER', show(s.secureProxySslHeader)],
  );
  return rows;
}
