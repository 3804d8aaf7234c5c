import fs from 'node:fs';
import path from 'node:path';
import type { ServerProcess } from '../instance/types.js';

/**
 * What to restart after an update: a systemd or supervisor unit whose file names the instance root, else the
 * server processes seen before the update, else the generic advice.
 */
const UNIT_DIRS = ['/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];
const SUPERVISOR_DIRS = ['/etc/supervisor/conf.d', '/etc/supervisord.d'];

function filesMentioning(dirs: string[], root: string, pattern: RegExp): string[] {
  const found: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.filter((n) => pattern.test(n))) {
      try {
        if (fs.readFileSync(path.join(dir, name), 'utf8').includes(root)) found.push(path.join(dir, name));
      } catch {
        // unreadable or a dangling link: not ours to judge
      }
    }
  }
  return found;
}

export function restartHint(root: string, serversBefore: ServerProcess[], dirs = { units: UNIT_DIRS, supervisor: SUPERVISOR_DIRS }): string[] {
  const units = filesMentioning(dirs.units, root, /\.service$/).map((f) => path.basename(f));
  const programs = filesMentioning(dirs.supervisor, root, /\.(conf|ini)$/).flatMap((f) =>
    [...fs.readFileSync(f, 'utf8').matchAll(/^\[program:([^\]]+)\]/gm)].map((m) => m[1]),
  );
  const hints: string[] = [];
  if (units.length > 0) hints.push(`systemctl restart ${[...new Set(units)].join(' ')}`);
  if (programs.length > 0) hints.push(`supervisorctl restart ${[...new Set(programs)].join(' ')}`);
  if (hints.length === 0 && serversBefore.length > 0) {
    hints.push(`restart the server processes that ran before: ${serversBefore.map((s) => `${s.kind} (pid ${s.pid})`).join(', ')}`);
  }
  if (hints.length === 0) hints.push('start your WSGI server (uwsgi, gunicorn or daphne) for this instance again');
  hints.push('then reload nginx if its configuration changed: nginx -t && systemctl reload nginx');
  return hints;
}
