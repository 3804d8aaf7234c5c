import { describe, expect, it } from 'vitest';
import { decodeAddress, parseTcpTable } from '../../src/tasks/monitor/proc-net.js';
import { programLine, summarizePrograms } from '../../src/tasks/monitor/program-summary.js';
import { labelProcess, type ClientProcess, type ProcessFacts } from '../../src/tasks/monitor/programs.js';
import { sessionsCut } from '../../src/tasks/monitor/restart-impact.js';
import { parseUnixPairs } from '../../src/tasks/monitor/unix-peers.js';
import { parseStats, statsAddress } from '../../src/tasks/monitor/uwsgi-stats.js';
import { session } from './monitor-fixtures.js';

const facts = (argv: string[], over: Partial<ProcessFacts> = {}): ProcessFacts => ({ pid: 500, ppid: 400, uid: 0, argv, ...over });


const proc = (program: ClientProcess['program'], label: string, pid: number): ClientProcess =>
  ({ pid, ppid: 1, program, label, user: 'www-data' });

describe('reading the kernel socket tables', () => {
  it('decodes IPv4, IPv6 and IPv4-mapped addresses as PostgreSQL prints them', () => {
    expect(decodeAddress('0100007F:8D00')).toEqual({ address: '127.0.0.1', port: 36096 });
    expect(decodeAddress('00000000000000000000000001000000:1538')).toEqual({ address: '::1', port: 5432 });
    expect(decodeAddress('0000000000000000FFFF00000100007F:D431')).toEqual({ address: '127.0.0.1', port: 54321 });
    expect(decodeAddress('B80D0120000000000000000001000000:0050')).toEqual({ address: '2001:db8::1', port: 80 });
  });

  it('keeps established connections with their inode', () => {
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:8D00 0100007F:1538 01 00000000:00000000 00:00000000 00000000   33        0 52492 1 0 20 4 30 10 -1',
      '   1: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000  106        0 11111 1 0 20 4 30 10 -1',
    ].join('\n');
    expect(parseTcpTable(table)).toEqual([{ local: '127.0.0.1', localPort: 36096, remote: '127.0.0.1', remotePort: 5432, inode: 52492 }]);
  });

  it('pairs the server end of PostgreSQL unix sockets with their client end, paths with spaces too', () => {
    const ss = [
      'Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process',
      'u_str ESTAB 0      0      /run/postgresql/.s.PGSQL.5432 52492            * 51884',
      'u_str ESTAB 0      0      * 51884            * 52492',
      'u_str ESTAB 0      0      /tmp/my dir/.s.PGSQL.5432 60001            * 60002',
      'u_str ESTAB 0      0      /run/postgresql/.s.PGSQL.5433 70001            * 70002',
    ].join('\n');
    expect(parseUnixPairs(ss, 5432)).toEqual([{ server: 52492, client: 51884 }, { server: 60001, client: 60002 }]);
  });
});

describe('naming the program of a client process', () => {
  it('tells uWSGI workers by their stats id or title, celery worker from beat, psql by user', () => {
    const uwsgi = facts(['/srv/catmaid/django/env/bin/uwsgi', '--ini', '/etc/uwsgi/catmaid.ini']);
    expect(labelProcess(uwsgi, { uwsgiWorkers: new Map([[500, 3]]), ownPid: 1 }).label).toBe('uwsgi worker 3');
    expect(labelProcess(facts(['uWSGI worker 2']), { ownPid: 1 })).toMatchObject({ program: 'uwsgi', label: 'uwsgi worker 2' });
    expect(labelProcess(facts(['/usr/bin/python3', '/usr/bin/celery', '-A', 'mysite', 'worker', '-l', 'info']), { ownPid: 1 }))
      .toMatchObject({ program: 'celery-worker', label: 'celery worker' });
    expect(labelProcess(facts(['/usr/bin/python3', '/usr/bin/celery', '-A', 'mysite', 'beat']), { ownPid: 1 }))
      .toMatchObject({ program: 'celery-beat', label: 'celery beat' });
    expect(labelProcess(facts(['[celeryd: celery@db:ForkPoolWorker-1]']), { ownPid: 1 }).program).toBe('celery-worker');
    expect(labelProcess(facts(['daphne', '--unix-socket=/run/daphne.sock', 'mysite.asgi:application']), { ownPid: 1 }).label).toBe('daphne');
    expect(labelProcess(facts(['python', 'manage.py', 'runserver']), { ownPid: 1 }).label).toBe('runserver');
    expect(labelProcess(facts(['psql', '-d', 'catmaid'], { uid: 0 }), { ownPid: 1 }).label).toBe('psql (root)');
    expect(labelProcess(facts(['node', '/opt/catmaid-tui/bin/catmaid-tui', 'info']), { ownPid: 1 }).program).toBe('catmaid-tui');
    expect(labelProcess(facts(['x'], { pid: 77 }), { ownPid: 77 }).program).toBe('catmaid-tui');
    expect(labelProcess(facts(['/usr/bin/python3', '-u', '/home/bob/report.py'], { uid: 0 }), { ownPid: 1 }))
      .toMatchObject({ program: 'other', label: 'python3 report.py (root)' });
    expect(labelProcess(facts(['node', '--require', '/x/hook.cjs', '/srv/tool/run.js'], { uid: 0 }), { ownPid: 1 }).label).toBe('node run.js (root)');
    expect(labelProcess(facts(['python3', '-m', 'report_tool'], { uid: 0 }), { ownPid: 1 }).label).toBe('python3 report_tool (root)');
  });

  it('finds the uWSGI stats address on the command line or in the ini file it names', () => {
    expect(statsAddress(['uwsgi', '--stats', '/run/uwsgi/stats.sock'])).toBe('/run/uwsgi/stats.sock');
    expect(statsAddress(['uwsgi', '--stats=127.0.0.1:1717'])).toBe('127.0.0.1:1717');
    const ini = '[uwsgi]\nsocket = /run/catmaid/uwsgi.socket\nstats = /run/catmaid/stats.sock\n';
    expect(statsAddress(['uwsgi', '--ini', 'catmaid.ini'], '/etc/uwsgi', (f) => (f === '/etc/uwsgi/catmaid.ini' ? ini : ''))).toBe('/run/catmaid/stats.sock');
    expect(statsAddress(['uwsgi', '--ini', '/nope.ini'], '/', () => { throw new Error('ENOENT'); })).toBeNull();
  });

  it('reads workers, threads and busy ones from the stats document', () => {
    const doc = JSON.stringify({ workers: [
      { id: 1, pid: 11, status: 'idle', requests: 10, cores: [{ in_request: 0 }, { in_request: 0 }] },
      { id: 2, pid: 12, status: 'busy', requests: 5, cores: [{ in_request: 1 }, { in_request: 0 }] },
    ] });
    expect(parseStats('/s', doc)?.workers).toEqual([
      { id: 1, pid: 11, status: 'idle', requests: 10, threads: 2, busyThreads: 0 },
      { id: 2, pid: 12, status: 'busy', requests: 5, threads: 2, busyThreads: 1 },
    ]);
    expect(parseStats('/s', 'not json')).toBeNull();
  });

  it('reads a stats document whose socket name uWSGI filled with control characters (seen under load)', () => {
    const doc = '{\n\t"sockets":[\n\t\t{\n\t\t\t"name":"\x1a\x1a\x1a\x1a",\n\t\t\t"queue":0\n\t\t}\n\t],\n'
      + '\t"workers":[\n\t\t{"id":1,"pid":11,"status":"idle","requests":0,"cores":[{"in_request":0}]}\n\t]\n}';
    expect(() => JSON.parse(doc)).toThrow();
    expect(parseStats('/s', doc)?.workers).toEqual([{ id: 1, pid: 11, status: 'idle', requests: 0, threads: 1, busyThreads: 0 }]);
  });
});

describe('sessions per program, and what a restart would cut', () => {
  const sessions = [
    session({ pid: 101, state: 'active', process: proc('uwsgi', 'uwsgi worker 1', 11) }),
    session({ pid: 102, state: 'idle', process: proc('uwsgi', 'uwsgi worker 2', 12) }),
    session({ pid: 103, state: 'idle in transaction', process: proc('celery-worker', 'celery worker', 21) }),
    session({ pid: 104, state: 'idle', process: proc('celery-beat', 'celery beat', 22) }),
    session({ pid: 105, state: 'active', process: proc('psql', 'psql (alice)', 31) }),
    session({ pid: 106, state: 'active', client: '10.0.0.9', process: null }),
  ];

  it('counts sessions per program against uWSGI threads, busy and idle workers', () => {
    const stats = { address: '/s', workers: [
      { id: 1, pid: 11, status: 'busy', requests: 7, threads: 2, busyThreads: 1 },
      { id: 2, pid: 12, status: 'idle', requests: 3, threads: 2, busyThreads: 0 },
    ] };
    const counts = summarizePrograms(sessions, { workers: 4, processes: 2, threads: 2, kinds: ['uwsgi'] }, stats);
    expect(programLine(counts)).toBe('uwsgi 2/4 threads (busy 1, idle 1, 10 req) · celery worker 1 · celery beat 1 · psql (alice) 1 · remote 1');
    const withoutStats = summarizePrograms(sessions, { workers: 4, processes: 2, threads: 2, kinds: ['uwsgi'] }, null);
    expect(programLine(withoutStats)).toMatch(/^uwsgi 2\/4 threads · celery worker 1/);
  });

  it('lists the sessions of the programs to restart, the working ones apart, by kind or by main pid', () => {
    const byKind = sessionsCut(sessions, { programs: ['uwsgi', 'celery-worker'] });
    expect(byKind.sessions.map((s) => s.pid)).toEqual([101, 102, 103]);
    expect(byKind.running.map((s) => s.pid)).toEqual([101, 103]);
    expect(byKind.unknown).toBe(1);
    const parents: Record<number, number> = { 11: 10, 12: 10, 21: 20, 22: 20, 31: 30 };
    const byPid = sessionsCut(sessions, { pids: [20] }, (pid) => parents[pid] ?? null);
    expect(byPid.sessions.map((s) => s.pid)).toEqual([103, 104]);
  });
});
