import type { BackupServices } from '../../src/hooks/useBackup.js';
import type { RestoreServices } from '../../src/hooks/useRestore.js';
import type { ScheduleServices } from '../../src/hooks/useSchedule.js';
import type { BackupOptions, BackupResult } from '../../src/tasks/backup/backup.js';
import { mergeCrontab } from '../../src/tasks/backup/crontab.js';
import type { RebuildResult } from '../../src/tasks/backup/rebuild-derived.js';
import type { BackupInspection } from '../../src/tasks/backup/inspect.js';
import type { InstanceBackups } from '../../src/tasks/backup/instance-backups.js';
import type { BackupEntry } from '../../src/tasks/backup/list.js';
import type { LockChoice } from '../../src/tasks/backup/lock-watch.js';
import type { InstanceInfo } from '../../src/tasks/instance/types.js';
import type { Session } from '../../src/tasks/monitor/types.js';
import type { BackupManifest } from '../../src/tasks/backup/manifest.js';
import { progressFigures } from '../../src/tasks/backup/progress.js';
import type { RestoreOptions, RestoreResult } from '../../src/tasks/backup/restore.js';
import { CliError } from '../../src/tasks/errors.js';
import type { TaskLog } from '../../src/tasks/task-log.js';
import { fakeInfo } from './helpers.js';

/**
 * Fake backup tasks for the screen tests: they emit the real tasks' events in the real order (started, progress,
 * verifying, done; verify, safety backup, restore, rebuild) and remember how they were called.
 */
export const info = fakeInfo({ servers: [] });
export const DIR = '/var/backups/catmaid';
export const CURRENT = '3f2a9c1d0e5b7a8c9d0e1f2a3b4c5d6e7f8a9b0c';
export const OTHER = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d';
const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

const memoryLog = (task: string): TaskLog => ({
  path: `/var/log/test/${task}.log`, line: () => undefined, command: () => undefined, output: () => undefined, redact: () => undefined, close: () => undefined,
});

export function manifest(overrides: Partial<BackupManifest> = {}): BackupManifest {
  return {
    tool: 'catmaid-tui', manifestVersion: 1, file: 'catmaid_202611251402_3f2a9c1.sql', database: 'catmaid', host: '127.0.0.1', port: 5432,
    serverVersion: '15.4', pgDumpVersion: '15.4', commit: CURRENT, shortCommit: '3f2a9c1', describe: '2021.12.21-4-g3f2a9c1', format: 'sql', jobs: 1,
    excludedTableData: ['treenode_edge'], startedAt: '2026-11-25T14:02:00.000Z', finishedAt: '2026-11-25T14:02:07.500Z', sizeBytes: 61_000_000,
    sha256: 'ab'.repeat(32), verified: true, ...overrides,
  };
}

/** `holdAt`: after that many progress events, wait until the run is aborted, then fail as the real task does. */
export function fakeBackupServices(script: { holdAt?: number } = {}): BackupServices & { calls: BackupOptions[]; aborted: boolean[] } {
  const calls: BackupOptions[] = [];
  const aborted: boolean[] = [];
  return {
    calls,
    aborted,
    backupDir: async () => DIR,
    refresh: async (i) => i,
    list: async () => [],
    openLog: memoryLog,
    run: async (options): Promise<BackupResult> => {
      calls.push(options);
      const emit = options.onProgress ?? (() => undefined);
      const file = `${options.outDir}/catmaid_202611251402_3f2a9c1.${options.format === 'sql' ? 'sql' : options.format === 'custom' ? 'dump' : 'dir'}`;
      emit({ type: 'started', file, format: options.format ?? 'sql', estimateBytes: 400_000_000, excludedTableData: options.withEdgeTable ? [] : ['treenode_edge'] });
      for (let i = 1; i <= 3; i += 1) {
        await tick();
        emit({ type: 'progress', table: i === 3 ? 'public.treenode_connector' : 'public.treenode', ...progressFigures(i * 90_000_000, i * 1000, 400_000_000) });
        if (script.holdAt === i) {
          await new Promise((resolve) => options.signal?.addEventListener('abort', resolve));
          aborted.push(true);
          throw new CliError('backup interrupted; the unfinished dump was removed', 1);
        }
      }
      emit({ type: 'verifying' });
      await tick();
      const m = manifest({ format: options.format ?? 'sql', jobs: options.jobs ?? 1, excludedTableData: options.withEdgeTable ? [] : ['treenode_edge'] });
      emit({ type: 'done', path: file, manifest: m });
      if (options.retention?.last) emit({ type: 'pruned', removed: ['catmaid_202611200300_3f2a9c1.sql'] });
      return { path: file, manifestPath: `${file}.json`, manifest: m, pruned: [], emptyDerived: [] };
    },
  };
}

const entry = (name: string, commit: string | null, state: BackupEntry['state'] = 'verified'): BackupEntry => ({
  name, path: `${DIR}/${name}`, format: 'sql', database: 'catmaid', createdAt: new Date(Date.now() - 19 * 3600_000), sizeBytes: 61_000_000, state,
  manifest: commit ? manifest({ file: name, commit, shortCommit: commit.slice(0, 7), describe: commit === CURRENT ? '2021.12.21-4-g3f2a9c1' : '2020.02.15' }) : null,
});

const safety: BackupEntry = {
  ...entry('catmaid_202611200300_3f2a9c1.dump', CURRENT),
  format: 'custom',
  pin: { path: `${DIR}/catmaid_202611200300_3f2a9c1.dump`, kind: 'safety', reason: 'safety backup taken before restore of catmaid_202611010300_9e8d7c6.sql', since: '2026-11-20T03:00:00Z' },
};
safety.manifest = { ...safety.manifest!, kind: 'safety', reason: 'taken before restore of catmaid_202611010300_9e8d7c6.sql' };

export const ENTRIES: BackupEntry[] = [
  entry('catmaid_202611251402_3f2a9c1.sql', CURRENT),
  entry('catmaid_202611010300_9e8d7c6.sql', OTHER),
  entry('catmaid_202610010300_3f2a9c1.sql', null, 'bad-manifest'),
  safety,
];

/** A session of the kind that holds restores up: a client idle in a transaction. */
export const IDLE_CLIENT: Session = {
  pid: 40187, user: 'catmaid_user', app: 'gunicorn', client: '10.0.0.5', database: 'catmaid', state: 'idle in transaction', waitEventType: 'Client',
  waitEvent: 'ClientRead', xactAge: 133, queryAge: 133, backendAge: 4000, query: 'UPDATE treenode SET …', blockedBy: [],
  clientPort: 51234, xminAge: 133, process: null,
};

/**
 * `failAt`: the restore step that fails (the database is left as it was, as the real task says); `lockWait`: the
 * load waits for IDLE_CLIENT's lock and asks; `emptyDerived`: the derived tables found empty.
 */
export function fakeRestoreServices(
  script: { failAt?: 'restore'; lockWait?: boolean; emptyDerived?: string[] } = {},
): RestoreServices & { calls: RestoreOptions[]; lockAnswers: LockChoice[]; rebuilds: number } {
  const calls: RestoreOptions[] = [];
  const lockAnswers: LockChoice[] = [];
  const fake = {
    calls,
    lockAnswers,
    rebuilds: 0,
    backupDir: async () => DIR,
    refresh: async (i: InstanceInfo) => i,
    list: async (): Promise<InstanceBackups> => ({ folder: DIR, entries: ENTRIES, oldFolder: null }),
    sessions: async () => [IDLE_CLIENT],
    emptyDerived: async () => (fake.rebuilds > 0 ? [] : (script.emptyDerived ?? [])),
    rebuild: async (): Promise<RebuildResult> => {
      fake.rebuilds += 1;
      await tick();
      return { via: 'manage.py', counts: [{ table: 'treenode_edge', source: 'treenode', rows: 1521, expected: 1521 }], leftEmpty: [] };
    },
    openLog: memoryLog,
    inspect: async (file: string): Promise<BackupInspection> => {
      await tick();
      const found = ENTRIES.find((e) => e.path === file);
      return {
        path: file, format: 'sql', manifest: found?.manifest ?? null, sizeBytes: 61_000_000, sha256: 'ab'.repeat(32),
        problems: found?.state === 'bad-manifest' ? ['its manifest is unreadable (not JSON)'] : [],
        derivedIncluded: false, derivedUndefined: [], extensions: ['postgis', 'pg_trgm'], backupCommit: found?.manifest?.commit ?? null, backupDescribe: found?.manifest?.describe ?? null,
      };
    },
    restore: async (options: RestoreOptions): Promise<RestoreResult> => {
      calls.push(options);
      const emit = options.onProgress ?? (() => undefined);
      emit({ type: 'step', step: 'verify', state: 'running' });
      await tick();
      emit({ type: 'step', step: 'verify', state: 'done', detail: 'sha256 abababababab…' });
      if (options.allowVersionMismatch) emit({ type: 'warning', message: 'the backup was made at commit 9e8d7c6 but the instance is at 3f2a9c1: migrations may not match' });
      let safety: string | null = null;
      if (options.safetyBackup) {
        emit({ type: 'step', step: 'safety-backup', state: 'running' });
        safety = `${options.safetyBackup.outDir}/catmaid_202611251500_3f2a9c1.dump`;
        emit({ type: 'safety-backup', event: { type: 'started', file: safety, format: 'custom', estimateBytes: 1000, excludedTableData: [] } });
        await tick();
        emit({ type: 'step', step: 'safety-backup', state: 'done', detail: safety });
      } else emit({ type: 'step', step: 'safety-backup', state: 'skipped', detail: '--no-safety-backup' });
      emit({ type: 'step', step: 'restore', state: 'running' });
      emit({ type: 'progress', table: null, ...progressFigures(30_000_000, 1000, 61_000_000) });
      await tick();
      if (script.lockWait && options.onLockWait) {
        const wait = { blockers: [IDLE_CLIENT], waitedMs: 1000 };
        emit({ type: 'lock-wait', wait });
        const answer = await options.onLockWait(wait, new AbortController().signal);
        lockAnswers.push(answer);
        if (answer === 'abort') throw new CliError(`restore aborted while waiting for a lock held by pid ${IDLE_CLIENT.pid}; the database was left as it was`, 1);
      }
      if (script.failAt === 'restore') throw new CliError('psql failed (exit 3): ERROR:  syntax error at or near "COPX"; the database was left as it was', 1);
      emit({ type: 'step', step: 'restore', state: 'done', detail: '2.1 s' });
      emit({ type: 'step', step: 'rebuild-derived', state: 'running' });
      await tick();
      emit({ type: 'step', step: 'rebuild-derived', state: 'done', detail: 'sql, rows 1521 · 152 · 76' });
      const derived: RebuildResult = {
        via: 'sql',
        why: "the instance's python cannot import CATMAID's settings",
        counts: [
          { table: 'treenode_edge', source: 'treenode', rows: 1521, expected: 1521 },
          { table: 'treenode_connector_edge', source: 'treenode_connector', rows: 152, expected: 152 },
          { table: 'connector_geom', source: 'connector', rows: 76, expected: 76 },
        ],
        leftEmpty: [],
      };
      return { inspection: { path: options.file } as BackupInspection, safetyBackup: safety, derived, leftOut: [], prepared: [], warnings: [], sessions: [] };
    },
  };
  return fake;
}

/** A crontab in memory, changed with the real merge (marker block), so install twice = one line. */
export function fakeScheduleServices(initial: string | null = '# the admin\'s own line\n15 1 * * * /usr/local/bin/rotate-logs\n'): ScheduleServices & { crontab: () => string | null } {
  let crontab = initial;
  return {
    crontab: () => crontab,
    backupDir: async () => DIR,
    readCrontab: async () => crontab,
    install: async (name, line) => {
      const before = crontab;
      crontab = mergeCrontab(crontab, name, line);
      return { changed: crontab !== before, before, after: crontab };
    },
    remove: async (name) => {
      const before = crontab;
      crontab = mergeCrontab(crontab, name, null);
      return { changed: crontab !== before, before, after: crontab };
    },
    checkPgpass: async () => ({ usable: false, file: '/root/.pgpass', reason: '/root/.pgpass does not exist' }),
    program: () => ['/usr/bin/node', '/opt/catmaid-tui/bin/catmaid-tui'],
    logFile: (name) => `/root/.local/state/catmaid-tui/logs/scheduled-backup-${name}.log`,
    user: () => 'root',
  };
}
