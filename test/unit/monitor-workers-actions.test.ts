import { describe, expect, it } from 'vitest';
import { maySignal } from '../../src/tasks/monitor/actions.js';
import { isConnectionLoss } from '../../src/tasks/monitor/connection.js';
import type { ServerInfo } from '../../src/tasks/monitor/types.js';
import { countWorkers, declaredWorkers, threadsOf } from '../../src/tasks/monitor/workers.js';
import type { ServerProcess } from '../../src/tasks/instance/types.js';

const gunicorn = (pid: number, command = 'gunicorn --workers 4 mysite.wsgi'): ServerProcess => ({ pid, kind: 'gunicorn', command });

describe('WSGI workers of the instance', () => {
  it('counts the children of the gunicorn master, times its threads', () => {
    const servers = [gunicorn(100, 'gunicorn --workers 3 --threads 2 mysite.wsgi'), ...[101, 102, 103].map((pid) =>
      gunicorn(pid, 'gunicorn --workers 3 --threads 2 mysite.wsgi'))];
    const parents: Record<number, number> = { 100: 1, 101: 100, 102: 100, 103: 100 };
    expect(countWorkers(servers, (pid) => parents[pid])).toMatchObject({ workers: 6, processes: 3, threads: 2 });
  });

  it('trusts --workers of a master whose workers are not forked yet, and a lone runserver is one', () => {
    expect(countWorkers([gunicorn(100)], () => 1).workers).toBe(4);
    expect(countWorkers([{ pid: 7, kind: 'runserver', command: 'python manage.py runserver' }], () => 1).workers).toBe(1);
  });

  it('finds none when no server runs', () => {
    expect(countWorkers([], () => null).workers).toBeNull();
  });

  it('reads the flags of gunicorn and uwsgi', () => {
    expect(threadsOf('uwsgi --ini x.ini --threads=8')).toBe(8);
    expect(declaredWorkers('uwsgi --processes 6')).toBe(6);
    expect(declaredWorkers('gunicorn -w 2 app')).toBe(2);
  });
});

const me = (over: Partial<ServerInfo> = {}): ServerInfo => ({
  version: '15.4', versionNum: 150004, startedAt: 0, maxConnections: 100, reservedConnections: 3, ownPid: 1,
  role: 'catmaid_user', database: 'catmaid', superuser: false, readAllStats: false, signalBackend: false,
  superusers: ['postgres'], myRoles: ['catmaid_user'], ...over,
});

describe('who may cancel or terminate a backend (PostgreSQL’s rule)', () => {
  it('lets a role signal its own sessions, not others’ or a superuser’s', () => {
    expect(maySignal(me(), { pid: 9, user: 'catmaid_user' }).allowed).toBe(true);
    expect(maySignal(me(), { pid: 9, user: 'backup' }).allowed).toBe(false);
    expect(maySignal(me({ signalBackend: true }), { pid: 9, user: 'postgres' })).toMatchObject({ allowed: false });
  });

  it('lets pg_signal_backend members signal other non-superusers, and superusers anyone', () => {
    expect(maySignal(me({ signalBackend: true }), { pid: 9, user: 'backup' }).allowed).toBe(true);
    expect(maySignal(me({ superuser: true }), { pid: 9, user: 'postgres' }).allowed).toBe(true);
  });

  it('never offers to signal the monitor itself or a hidden session', () => {
    expect(maySignal(me({ superuser: true }), { pid: 1, user: 'catmaid_user' }).allowed).toBe(false);
    expect(maySignal(me(), { pid: 9, user: null }).allowed).toBe(false);
  });
});

describe('connection loss', () => {
  it('is a network error or SQLSTATE 08/57P, not an ordinary SQL error', () => {
    expect(isConnectionLoss(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(false);
  });
});
