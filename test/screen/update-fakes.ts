import type { UpdateServices } from '../../src/hooks/useUpdate.js';
import type { TaskLog } from '../../src/tasks/task-log.js';
import type { UpdateJournal } from '../../src/tasks/update/journal.js';
import { planSteps } from '../../src/tasks/update/plan.js';
import type { PreflightCheck, UpdateOptions, UpdatePreview } from '../../src/tasks/update/preflight.js';
import type { RollbackOptions } from '../../src/tasks/update/rollback.js';
import { UpdateStepError, type RunUpdateOptions, type UpdateSummary } from '../../src/tasks/update/run.js';
import { fakeInfo } from './helpers.js';

/**
 * Fake update tasks for the screen tests: a preview of 2021.12.21 → 2022.03.01 through three releases with long
 * notes, and a run that emits the real runner's events (backup, each step running → done) and may fail at a step.
 */
export const info = fakeInfo({ servers: [] });

const RELEASES = [
  { version: '2021.12.21', source: 'UPDATE.md' as const, notes: ['Requires PostgreSQL 13 and PostGIS 3.1.', 'A virtualenv update is required.', 'The skeleton summary is filled by a migration: it can take a while on large databases.'] },
  { version: '2022.03.01', source: 'UPDATE.md' as const, notes: ['Run ALTER EXTENSION postgis UPDATE; in every database.', 'Rebuild the edge table.', 'Set CONN_MAX_AGE to 60.'] },
  { version: '2022.06.15', source: 'CHANGELOG.md' as const, notes: ['Requires Python 3.9.', 'LAST NOTE: restart the asynchronous workers too.'] },
];

export function fakePreview(options: Partial<UpdateOptions> & { checks?: PreflightCheck[] } = {}): UpdatePreview {
  const target = { ref: '2022.06.15', kind: 'tag' as const, commit: 'a'.repeat(40), describe: '2022.06.15', release: '2022.06.15' };
  const checks: PreflightCheck[] = options.checks ?? [
    { id: 'server', status: 'ok', title: 'server stopped' },
    { id: 'git-clean', status: 'ok', title: 'working tree clean' },
    { id: 'fetch', status: 'ok', title: 'fetched origin (tag 2022.06.15)' },
    { id: 'notes', status: 'warn', title: 'notes: 3 release(s), 3 with admin actions — read them all' },
    { id: 'backup', status: 'info', title: `backup before the first step, into ${options.backupDir}` },
  ];
  return {
    checks,
    current: { commit: '3f2a9c1d0e5b7a8c9d0e1f2a3b4c5d6e7f8a9b0c', shortCommit: '3f2a9c1', branch: 'master', describe: '2021.12.20', release: '2021.12.20' },
    target,
    incoming: 37,
    local: [],
    releases: RELEASES,
    squashStage: false,
    integration: 'ff-only',
    steps: planSteps({ layout: info.layout, target, remote: 'origin', integration: 'ff-only', squashStage: false }),
    upToDate: false,
    refusals: checks.filter((c) => c.status === 'fail'),
    services: { setup: { supervisor: [], systemd: [], processes: [], unmanaged: [], stop: [], start: [], programs: [], problems: [] }, web: null },
  };
}

const memoryLog = (task: string): TaskLog & { lines: string[] } => {
  const lines: string[] = [];
  return { path: `/var/log/test/${task}.log`, lines, line: (t) => lines.push(t), command: () => undefined, output: (t) => lines.push(t), redact: () => undefined, close: () => undefined };
};

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

export interface FakeCalls {
  preflight: UpdateOptions[];
  run: RunUpdateOptions[];
  rollback: RollbackOptions[];
}

/** `failAt`: the step index that fails on the first run (a retry then passes); `hold`: wait for abort at that step. */
export function fakeServices(script: { failAt?: number; holdAt?: number; checks?: PreflightCheck[] } = {}): UpdateServices & { calls: FakeCalls } {
  const calls: FakeCalls = { preflight: [], run: [], rollback: [] };
  return {
    calls,
    refresh: async (i) => i,
    preflight: async (_info, options) => {
      calls.preflight.push(options);
      await tick();
      return fakePreview({ ...options, checks: options.allowRunning ? undefined : script.checks });
    },
    run: async (_info, preview, options) => {
      calls.run.push(options);
      const emit = options.onEvent ?? (() => undefined);
      const journal: UpdateJournal = options.journal ?? {
        root: info.layout.root, startedAt: new Date().toISOString(), pid: 1,
        previous: { commit: preview.current.commit, branch: 'master', describe: '2021.12.20' },
        target: { ref: preview.target.ref, kind: 'tag', commit: preview.target.commit },
        backup: '/var/backups/catmaid/catmaid_202611250300_3f2a9c1.sql', logFile: options.log.path, steps: [], status: 'running',
      };
      if (!options.journal) {
        emit({ type: 'backup', event: { type: 'started', file: journal.backup as string, format: 'sql', estimateBytes: 1000, excludedTableData: [] } });
        await tick();
        emit({ type: 'backup', event: { type: 'verifying' } });
        await tick();
        emit({ type: 'backup', event: { type: 'done', path: journal.backup as string, manifest: {} as never } });
      }
      for (let index = options.fromStep ?? 0; index < preview.steps.length; index += 1) {
        const step = preview.steps[index];
        emit({ type: 'step', index, step, state: 'running' });
        emit({ type: 'output', index, line: `output of ${step.id}` });
        if (script.holdAt === index) {
          await new Promise((resolve) => options.signal?.addEventListener('abort', resolve));
        }
        await tick();
        const fails = (script.failAt === index && calls.run.length === 1) || options.signal?.aborted;
        emit({ type: 'step', index, step, state: fails ? 'failed' : 'done', seconds: 0.2 });
        if (fails) {
          emit({ type: 'output', index, line: 'django.db.utils.ProgrammingError: division by zero' });
          throw new UpdateStepError(step, index, ['Applying catmaid.0005_radius_half_way...', 'django.db.utils.ProgrammingError: division by zero'], { ...journal, status: 'failed' });
        }
      }
      const summary: UpdateSummary = { from: '2021.12.20', to: '2022.06.15', commit: preview.target.commit, migrations: ['catmaid.0005_x', 'catmaid.0006_y'], backup: journal.backup, restart: ['systemctl restart catmaid.service', 'then reload nginx if its configuration changed'], logFile: options.log.path };
      return summary;
    },
    rollback: async (_info, options) => {
      calls.rollback.push(options);
      options.onEvent?.({ type: 'step', id: 'git', title: 'git back to 3f2a9c1', state: 'running' });
      await tick();
      options.onEvent?.({ type: 'step', id: 'restore', title: 'restore', state: 'done' });
      const said = ['code back at 2021.12.20 (master)', 'database restored from /var/backups/catmaid/catmaid_202611250300_3f2a9c1.sql'];
      return { journal: {} as UpdateJournal, commit: '3f2a9c1d0e5b7a8c9d0e1f2a3b4c5d6e7f8a9b0c', restoredBackup: 'x', said };
    },
    openLog: (task) => memoryLog(task),
    backupDir: () => '/var/backups/catmaid',
  };
}
