import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classify, findServerProcesses } from '../../src/tasks/instance/processes.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'procs-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('spotting the CATMAID server processes of a root', () => {
  it('knows uwsgi, gunicorn, daphne and manage.py runserver by their command lines', () => {
    expect(classify(['/usr/bin/uwsgi', '--ini', '/etc/uwsgi/catmaid.ini'])).toBe('uwsgi');
    expect(classify(['/srv/catmaid/django/env/bin/python3', '/srv/catmaid/django/env/bin/gunicorn', 'mysite.wsgi'])).toBe('gunicorn');
    expect(classify(['daphne', '-b', '0.0.0.0', 'mysite.asgi:application'])).toBe('daphne');
    expect(classify(['python', 'manage.py', 'runserver'])).toBe('runserver');
    expect(classify(['python', 'manage.py', 'migrate'])).toBeNull();
    expect(classify(['postgres', '-D', '/var/lib/postgresql'])).toBeNull();
  });

  it('finds a running runserver of this root, and not of another one', async () => {
    const root = path.join(tmp, 'catmaid');
    const projects = path.join(root, 'django', 'projects');
    fs.mkdirSync(projects, { recursive: true });
    fs.writeFileSync(path.join(projects, 'manage.py'), 'import time\ntime.sleep(60)\n');
    const child = execa('/usr/bin/python3', [path.join(projects, 'manage.py'), 'runserver', '127.0.0.1:8000'], { cwd: tmp, reject: false });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const found = findServerProcesses(root);
      expect(found).toEqual([expect.objectContaining({ pid: child.pid, kind: 'runserver' })]);
      expect(findServerProcesses(path.join(tmp, 'other'))).toEqual([]);
    } finally {
      child.kill();
      await child;
    }
  });

  it('finds a uwsgi whose ini file, outside the root, points into it', async () => {
    const root = path.join(tmp, 'catmaid2');
    fs.mkdirSync(path.join(root, 'django'), { recursive: true });
    const ini = path.join(tmp, 'catmaid.ini');
    fs.writeFileSync(ini, `[uwsgi]\nchdir = ${root}/django/projects\n`);
    const fake = path.join(tmp, 'uwsgi');
    fs.writeFileSync(fake, '#!/usr/bin/python3\nimport time\ntime.sleep(60)\n', { mode: 0o755 });
    const child = execa(fake, ['--ini', ini], { cwd: '/', reject: false });
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(findServerProcesses(root).map((p) => [p.pid, p.kind])).toEqual([[child.pid, 'uwsgi']]);
    } finally {
      child.kill();
      await child;
    }
  });
});
