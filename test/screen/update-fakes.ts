import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { Update } from '../../src/screens/Update.js';
import type { UpdateServices } from '../../src/hooks/useUpdate.js';
import type { TaskLog } from '../../src/tasks/task-log.js';
import type { UnfinishedUpdate, UpdateJournal } from '../../src/tasks/update/journal.js';
import { planSteps } from '../../src/tasks/update/plan.js';
import type { PreflightCheck, UpdateOptions, UpdatePreview } from '../../src/tasks/update/preflight.js';
import type { RollbackOptions } from '../../src/tasks/update/rollback.js';
import { UpdateStepError, type RunUpdateOptions, type UpdateSummary } from '../../src/tasks/update/run.js';
import { fakeInfo, press, waitForText } from './helpers.js';

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

export const CHOICES = [
  { ref: 'master', kind: 'branch' as const, label: 'master: 2022.06.15-3-g0a1b2c3 (tracked branch)' },
  ...RELEASES.map((r) => ({ ref: r.version, kind: 'tag' as const, label: r.version })),
];

export function fakePreview(options: Partial<UpdateOptions> & { checks?: PreflightCheck[] } = {}): UpdatePreview {
  const ref = options.to ?? '2022.06.15';
  const target = { ref, kind: 'tag' as const, commit: 'a'.repeat(40), describe: ref, release: ref };
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
    releases: RELEASES.filter((r) => r.version <= ref),
    squashStage: false,
    integration: 'ff-only',
    steps: planSteps({ layout: info.layout, target, remote: 'origin', integration: 'ff-only', squashStage: false }),
    upToDate: false,
    refusals: checks.filter((c) => c.status === 'fail'),
    choices: CHOICES,
    unfinished: null,
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
  postgis: string[][];
}

/** An update of 2022.06.15 killed after its migrate --plan step: its journal, as the pre-flight finds it. */
export function killedUpdate(): UnfinishedUpdate {
  const target = { ref: '2022.06.15', kind: 'tag' as const, commit: 'a'.repeat(40), describe: '2022.06.15', release: '2022.06.15' };
  const plan = planSteps({ layout: info.layout, target, remote: 'origin', integration: 'ff-only', squashStage: false });
  const journal: UpdateJournal = {
    root: info.layout.root, startedAt: '2026-11-30T05:00:00.000Z', pid: 4242,
    previous: { commit: '3f2a9c1d0e5b7a8c9d0e1f2a3b4c5d6e7f8a9b0c', branch: 'master', describe: '2021.12.20' },
    target: { ref: target.ref, kind: 'tag', commit: target.commit }, backup: '/var/backups/catmaid/catmaid_202611300500_3f2a9c1.sql',
    logFile: '/var/log/test/update.log', plan, status: 'running',
    steps: plan.slice(0, 4).map((step) => ({ id: step.id, stage: step.stage, state: 'done' as const, seconds: 1 })),
  };
  return { journal, remaining: plan.slice(4), inProgress: false, text: `the update to 2022.06.15 of ${journal.startedAt} is unfinished: stopped before or during manage.py migrate` };
}

/**
 * `failAt`: the step index that fails on the first run (a retry then passes); `hold`: wait for abort at that step;
 * `postgisBehind`: databases whose PostGIS is behind until updatePostgis ran; `unfinished`: a journal the
 * pre-flight finds until a run or rollback happened.
 */
export function fakeServices(script: { failAt?: number; holdAt?: number; checks?: PreflightCheck[]; postgisBehind?: string[]; unfinished?: UnfinishedUpdate } = {}): UpdateServices & { calls: FakeCalls } {
  const calls: FakeCalls = { preflight: [], run: [], rollback: [], postgis: [] };
  return {
    calls,
    refresh: async (i) => i,
    preflight: async (_info, options) => {
      calls.preflight.push(options);
      await tick();
      const preview = fakePreview({ ...options, checks: options.allowRunning ? undefined : script.checks });
      if (script.postgisBehind && calls.postgis.length === 0) {
        const check: PreflightCheck = { id: 'requirement', requirement: 'postgis', status: 'fail', title: `PostGIS library 3.3.2, extension 3.3.2next in ${script.postgisBehind.join(', ')}`, override: '--ignore-requirement postgis', postgisBehind: script.postgisBehind };
        preview.checks.push(check);
        preview.refusals.push(check);
      }
      if (script.unfinished && calls.run.length === 0 && calls.rollback.length === 0) {
        const check: PreflightCheck = { id: 'unfinished', status: 'fail', title: script.unfinished.text };
        preview.checks.unshift(check);
        preview.refusals.push(check);
        preview.unfinished = script.unfinished;
        preview.upToDate = false;
      }
      return preview;
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
    updatePostgis: async (_info, databases) => {
      calls.postgis.push(databases);
      await tick();
      return databases.map((d) => `ran ALTER EXTENSION postgis UPDATE; in ${d} as postgres`);
    },
    openLog: (task) => memoryLog(task),
    backupDir: () => '/var/backups/catmaid',
  };
}

/** The Update screen on these fakes, at 100×27. */
export const renderUpdate = (services: ReturnType<typeof fakeServices>) =>
  render(createElement(Update, { info, active: true, width: 100, height: 27, services }));

/** Scroll the notes to their end and acknowledge them (r): what the screen wants before u starts. */
export async function readNotes(app: Pick<ReturnType<typeof render>, 'stdin' | 'lastFrame'>): Promise<void> {
  await waitForText(app, 'Release notes to read (3)');
  await press(app, 'G');
  await waitForText(app, 'I have read them');
  await press(app, 'r');
  await waitForText(app, '[ read ✓ ]');
}
