import type { CheckupInputs, PgSetting } from '../../src/tasks/checkup/types.js';

const GB = 1024 ** 3;

/** A pg_settings row as PostgreSQL 15 reports it. */
export function pgSetting(name: string, setting: string, unit: string | null = null, context = 'sighup'): PgSetting {
  return { name, setting, unit, context, vartype: unit ? 'integer' : 'string', source: 'default', minVal: null, maxVal: null, enumvals: null };
}

/** A local 16 GB machine with PostgreSQL's defaults, DEBUG off, 4 workers and no nginx. */
export function inputs(overrides: Partial<CheckupInputs> = {}): CheckupInputs {
  const settings: Record<string, PgSetting> = {};
  for (const s of [
    pgSetting('shared_buffers', '16384', '8kB', 'postmaster'),
    pgSetting('effective_cache_size', '524288', '8kB', 'user'),
    pgSetting('maintenance_work_mem', '65536', 'kB', 'user'),
    pgSetting('work_mem', '4096', 'kB', 'user'),
    pgSetting('max_connections', '100', null, 'postmaster'),
    pgSetting('max_worker_processes', '8', null, 'postmaster'),
    pgSetting('superuser_reserved_connections', '3', null, 'postmaster'),
    pgSetting('random_page_cost', '4'),
    pgSetting('checkpoint_completion_target', '0.9'),
    pgSetting('autovacuum', 'on'),
    pgSetting('jit', 'on', null, 'user'),
    pgSetting('jit_above_cost', '100000', null, 'user'),
    pgSetting('shared_memory_type', 'mmap', null, 'postmaster'),
    pgSetting('huge_pages', 'try', null, 'postmaster'),
  ]) {
    settings[s.name] = s;
  }
  return {
    memory: { totalBytes: 16 * GB, availableBytes: 12 * GB },
    dbRamBytes: null,
    dbLocal: true,
    dbHost: '',
    kernel: { shmmax: 18446744073692774399, shmall: 18446744073692774399, pageSize: 4096, nrHugepages: 0, hugepageSizeKb: 2048 },
    postgres: {
      reachable: true,
      versionNum: 150004,
      role: 'catmaid_user',
      database: 'catmaid',
      settings,
      roleSettings: [],
      tables: [],
      hugePagesNeeded: null,
      dataDirectory: '/var/lib/postgresql/15/main',
    },
    disk: { rotational: false, device: 'nvme0n1' },
    django: { debug: false, allowedHosts: ['catmaid.example.org'], connMaxAge: 0, settingsSource: 'django' },
    workers: { count: 4, source: 'option', detail: '--workers 4' },
    samples: null,
    nginx: { installed: false, ok: false, files: [] },
    mounts: [],
    tilesPath: null,
    nsswitch: null,
    ...overrides,
  };
}

export function byId(checks: { id: string }[], id: string) {
  const found = checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found as ReturnType<typeof import('../../src/tasks/checkup/rules/index.js').evaluate>[number];
}
