import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/tasks/checkup/rules/index.js';
import { trendOf } from '../../src/tasks/checkup/rules/conn-trend.js';
import { byId, inputs, pgSetting } from './checkup-fixture.js';

const GB = 1024 ** 3;

describe('memory advice', () => {
  it('suggests PGTune values for a local 16 GB host with the default 128 MB shared_buffers', () => {
    const checks = evaluate(inputs());
    const shared = byId(checks, 'pg.shared_buffers');
    expect(shared.status).toBe('warn');
    expect(shared.current).toBe('128MB');
    expect(shared.suggested).toContain('4GB');
    expect(shared.fix).toMatchObject({ kind: 'alter-system', parameter: 'shared_buffers', value: '4GB' });
    expect(shared.fix?.text).toBe("ALTER SYSTEM SET shared_buffers = '4GB';");
    expect(shared.why).toContain('restart');
    // 100 connections + 8 workers on 16 GB: 38836kB
    expect(byId(checks, 'pg.work_mem').fix).toMatchObject({ value: '38836kB' });
    expect(byId(checks, 'mem.ram').status).toBe('ok');
  });

  it('says it used this machine\'s RAM when PostgreSQL runs elsewhere, and asks for --db-ram', () => {
    const remote = evaluate(inputs({ dbLocal: false, dbHost: 'db.internal' }));
    expect(byId(remote, 'mem.ram').status).toBe('warn');
    expect(byId(remote, 'mem.ram').why).toContain('--db-ram');
    expect(byId(remote, 'pg.shared_buffers').status).toBe('info');
    expect(byId(remote, 'pg.shared_buffers').why).toContain('runs on db.internal');
    const given = evaluate(inputs({ dbLocal: false, dbHost: 'db.internal', dbRamBytes: 64 * GB }));
    expect(byId(given, 'pg.shared_buffers').fix).toMatchObject({ value: '16GB' });
    expect(byId(given, 'pg.shared_buffers').status).toBe('warn');
  });
});

describe('kernel shared memory', () => {
  it('calls shmmax not limiting with mmap and says where the old page is dated', () => {
    const shm = byId(evaluate(inputs()), 'kernel.shm');
    expect(shm.status).toBe('ok');
    expect(shm.why).toContain('mmap');
    expect(shm.differsFromOldPage).toMatch(/25% of RAM.*9\.3/s);
  });

  it('fails when shared_memory_type = sysv and shmmax is below shared_buffers', () => {
    const base = inputs();
    base.postgres.settings.shared_memory_type = pgSetting('shared_memory_type', 'sysv', null, 'postmaster');
    base.postgres.settings.shared_buffers = pgSetting('shared_buffers', '524288', '8kB', 'postmaster');
    const shm = byId(evaluate({ ...base, kernel: { ...base.kernel!, shmmax: 32 * 1024 * 1024 } }), 'kernel.shm');
    expect(shm.status).toBe('fail');
  });

  it('advises huge pages from 2 GB of buffers, sized from shared_memory_size_in_huge_pages', () => {
    const base = inputs();
    base.postgres.settings.shared_buffers = pgSetting('shared_buffers', '524288', '8kB', 'postmaster');
    base.postgres.hugePagesNeeded = 2111;
    const huge = byId(evaluate(base), 'kernel.hugepages');
    expect(huge.status).toBe('warn');
    expect(huge.suggested).toBe('vm.nr_hugepages = 2111');
    expect(huge.fix?.text).toContain('vm.nr_hugepages = 2111');
  });
});

describe('role settings', () => {
  it('fixes all three with the role quoted as an identifier', () => {
    const base = inputs();
    base.postgres.role = 'Catmaid "user"';
    base.postgres.roleSettings = ['timezone=UTC'];
    const check = byId(evaluate(base), 'pg.role_settings');
    expect(check.status).toBe('warn');
    expect(check.fix).toMatchObject({ kind: 'alter-role' });
    expect(check.fix?.kind === 'alter-role' && check.fix.statements).toEqual([
      `ALTER ROLE "Catmaid ""user""" SET client_encoding TO 'UTF8';`,
      `ALTER ROLE "Catmaid ""user""" SET default_transaction_isolation TO 'read committed';`,
      `ALTER ROLE "Catmaid ""user""" SET timezone TO 'UTC';`,
    ]);
  });

  it('passes when the role has them, whatever the spelling of UTF8', () => {
    const base = inputs();
    base.postgres.roleSettings = ['client_encoding=utf8', 'default_transaction_isolation=read committed', 'TimeZone=UTC'];
    expect(byId(evaluate(base), 'pg.role_settings').status).toBe('ok');
  });
});

describe('statistics', () => {
  it('lists never-analyzed tables and gives one VACUUM ANALYZE for them', () => {
    const base = inputs();
    base.postgres.tables = [
      { schema: 'public', table: 'treenode', liveTuples: 5000, deadTuples: 0, modSinceAnalyze: 5000, lastAnalyze: null },
      { schema: 'public', table: 'project', liveTuples: 3, deadTuples: 0, modSinceAnalyze: 0, lastAnalyze: '2026-01-01T00:00:00Z' },
    ];
    const check = byId(evaluate(base), 'pg.stats');
    expect(check.status).toBe('warn');
    expect(check.fix?.text).toBe('VACUUM ANALYZE "treenode";');
  });

  it("counts CATMAID's location stale when its children hold rows and its tree was never analyzed, whatever its own counters say", () => {
    const base = inputs();
    const location = { schema: 'public', table: 'location', liveTuples: 0, deadTuples: 0, modSinceAnalyze: 0, lastAnalyze: null };
    const treenode = { schema: 'public', table: 'treenode', liveTuples: 2000, deadTuples: 0, modSinceAnalyze: 0, lastAnalyze: '2026-01-01T00:00:00Z' };
    base.postgres.tables = [treenode, { ...location, inheritance: { childRows: 2100, treeAnalyzed: false } }];
    const check = byId(evaluate(base), 'pg.stats');
    expect(check.status).toBe('warn');
    expect(check.current).toBe('1 stale: location (inheritance tree never analyzed, 2100 rows in its children)');
    expect(check.fix?.text).toBe('VACUUM ANALYZE "location";');
    base.postgres.tables = [treenode, { ...location, inheritance: { childRows: 2100, treeAnalyzed: true } }];
    expect(byId(evaluate(base), 'pg.stats').status).toBe('ok');
    base.postgres.tables = [treenode, { ...location, inheritance: { childRows: 0, treeAnalyzed: false } }];
    expect(byId(evaluate(base), 'pg.stats').status).toBe('ok');
  });
});

describe('Django', () => {
  it('fails on DEBUG True with a settings block that turns it off', () => {
    const check = byId(evaluate(inputs({ django: { debug: true, allowedHosts: ['*'], connMaxAge: 0, settingsSource: 'django' } })), 'django.debug');
    expect(check.status).toBe('fail');
    expect(check.fix).toEqual({ kind: 'settings', blockId: 'checkup-debug', lines: ['DEBUG = False'], text: 'DEBUG = False' });
  });

  it("warns on ALLOWED_HOSTS = ['*']", () => {
    const check = byId(evaluate(inputs({ django: { debug: false, allowedHosts: ['*'], connMaxAge: 0, settingsSource: 'django' } })), 'django.allowed_hosts');
    expect(check.status).toBe('warn');
  });

  it('suggests CONN_MAX_AGE 60 when connections stay within the workers', () => {
    const check = byId(evaluate(inputs({ samples: { series: [3, 4, 4, 3, 4, 4], adminSessions: 1, intervalSeconds: 1 } })), 'django.conn_max_age');
    expect(check.status).toBe('warn');
    expect(check.suggested).toBe('60');
    expect(check.series).toEqual([3, 4, 4, 3, 4, 4]);
    expect(check.fix).toMatchObject({ kind: 'settings', lines: ["DATABASES['default']['CONN_MAX_AGE'] = 60"] });
  });

  it('suggests CONN_MAX_AGE 0 when persistent connections keep growing (a leak)', () => {
    const check = byId(
      evaluate(inputs({ django: { debug: false, allowedHosts: ['x'], connMaxAge: 60, settingsSource: 'django' }, samples: { series: [4, 6, 9, 11, 14, 17], adminSessions: 0, intervalSeconds: 1 } })),
      'django.conn_max_age',
    );
    expect(check.status).toBe('fail');
    expect(check.suggested).toBe('0');
    expect(check.fix).toMatchObject({ lines: ["DATABASES['default']['CONN_MAX_AGE'] = 0"] });
  });

  it('keeps a healthy persistent setting and asks for --workers when none are found', () => {
    const healthy = byId(evaluate(inputs({ django: { debug: false, allowedHosts: ['x'], connMaxAge: 60, settingsSource: 'django' }, samples: { series: [4, 4, 4], adminSessions: 0, intervalSeconds: 1 } })), 'django.conn_max_age');
    expect(healthy.status).toBe('ok');
    const unknown = byId(evaluate(inputs({ workers: { count: null, source: 'none', detail: 'no WSGI server process' }, samples: { series: [1, 1, 1], adminSessions: 0, intervalSeconds: 1 } })), 'django.conn_max_age');
    expect(unknown.status).toBe('info');
    expect(unknown.why).toContain('--workers');
  });

  it('tells growing from stable series', () => {
    expect(trendOf([2, 3, 5, 6, 8]).growing).toBe(true);
    expect(trendOf([4, 5, 4, 5, 4]).growing).toBe(false);
    expect(trendOf([4, 5, 4, 5, 4]).stable).toBe(true);
  });
});
