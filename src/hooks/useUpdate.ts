import { useCallback, useReducer, useState } from 'react';
import { initialSteps, stepsReducer } from '../screens/update/steps-state.js';
import { backupEventLine } from '../tasks/backup/summary.js';
import { discoverInstance } from '../tasks/instance/index.js';
import type { InstanceInfo } from '../tasks/instance/types.js';
import { defaultBackupDir } from '../tasks/paths.js';
import { openTaskLog, type TaskLog } from '../tasks/task-log.js';
import type { UpdateJournal } from '../tasks/update/journal.js';
import { preflightUpdate, type UpdateOptions, type UpdatePreview } from '../tasks/update/preflight.js';
import { previewLines, rollbackEventLine } from '../tasks/update/report.js';
import { rollbackUpdate, type RollbackOptions, type RollbackResult } from '../tasks/update/rollback.js';
import { runUpdate, UpdateStepError, type RunnablePlan, type RunUpdateOptions, type UpdateSummary } from '../tasks/update/run.js';
import { updatePostgis } from '../tasks/db/postgis.js';
import { useTask } from './useTask.js';

/** The update tasks the screen calls: the real ones by default; screen tests pass fakes. */
export interface UpdateServices {
  /** Reads the instance again (git state, running servers) before checking: the shell's copy may be old. */
  refresh(info: InstanceInfo): Promise<InstanceInfo>;
  preflight(info: InstanceInfo, options: UpdateOptions): Promise<UpdatePreview>;
  run(info: InstanceInfo, plan: RunnablePlan, options: RunUpdateOptions): Promise<UpdateSummary>;
  rollback(info: InstanceInfo, options: RollbackOptions): Promise<RollbackResult>;
  /** `ALTER EXTENSION postgis UPDATE;` in these databases, as the superuser; what was done, a line each. */
  updatePostgis(info: InstanceInfo, databases: string[]): Promise<string[]>;
  openLog(task: string): TaskLog;
  backupDir(info: InstanceInfo): string;
}

export const updateServices: UpdateServices = {
  refresh: (info) => discoverInstance({ name: info.name, root: info.layout.root, via: '--catmaid-dir' }),
  preflight: preflightUpdate,
  run: runUpdate,
  rollback: rollbackUpdate,
  updatePostgis: (info, databases) => updatePostgis(info.settings.settings.database, databases),
  openLog: (task) => openTaskLog(task),
  backupDir: (info) => defaultBackupDir(info.name),
};

export interface Checked {
  info: InstanceInfo;
  preview: UpdatePreview;
}

/** Where a failed run stopped: retry starts there again, with the same journal and backup. */
export interface Failure {
  index: number;
  tail: string[];
  journal: UpdateJournal;
}

export interface CheckRequest {
  integration?: 'rebase' | 'merge';
  allowRunning?: boolean;
  /** The target the admin picked (default: the tracked branch). */
  to?: string;
}

/** Pre-flight, run (and retry from the failed step), and rollback for the Update screen, each a task. */
export function useUpdate(info: InstanceInfo, services: UpdateServices = updateServices) {
  const [steps, dispatch] = useReducer(stepsReducer, undefined, initialSteps);
  const [failure, setFailure] = useState<Failure | undefined>();

  const checking = useTask<Checked, [CheckRequest]>(
    useCallback(
      async (_ctx, request) => {
        const fresh = await services.refresh(info);
        const preview = await services.preflight(fresh, { remote: 'origin', backupDir: services.backupDir(fresh), ...request });
        return { info: fresh, preview };
      },
      [info, services],
    ),
  );

  /**
   * A new run of the checked plan; a retry from the failed step (same journal and backup); or the resumption of
   * an unfinished update found by the pre-flight (its journal's plan, from its first step not done).
   */
  const running = useTask<UpdateSummary, [InstanceInfo, RunnablePlan, Failure | undefined, 'new' | 'retry' | 'resume']>(
    useCallback(
      async (ctx, target, plan, retry, mode) => {
        const log = services.openLog(mode === 'new' ? 'update' : `update-${mode}`);
        log.redact(target.settings.settings.database.password);
        ctx.emit({ type: 'log', file: log.path });
        if (mode === 'resume' && retry) dispatch({ type: 'resume', steps: plan.steps, from: retry.index });
        else if (retry) dispatch({ type: 'retry', from: retry.index });
        else dispatch({ type: 'plan', steps: plan.steps });
        setFailure(undefined);
        if ('checks' in plan) previewLines(plan as UpdatePreview).forEach((line) => log.line(line));
        try {
          return await services.run(target, plan, {
            backupDir: services.backupDir(target),
            log,
            signal: ctx.signal,
            fromStep: retry?.index,
            journal: retry?.journal,
            onEvent: (event) => {
              dispatch({ type: 'event', event, at: Date.now() });
              if (event.type === 'output') ctx.emit({ type: 'line', text: event.line });
              else if (event.type === 'backup') {
                const line = backupEventLine(event.event);
                if (line) ctx.emit({ type: 'line', text: `backup: ${line}` });
              } else if (event.type === 'step' && event.state === 'running') ctx.emit({ type: 'line', text: `$ ${event.step.title}` });
            },
          });
        } catch (err) {
          if (err instanceof UpdateStepError) setFailure({ index: err.index, tail: err.tail, journal: err.journal });
          throw err;
        } finally {
          log.close();
        }
      },
      [services],
    ),
  );

  const rollingBack = useTask<RollbackResult, [InstanceInfo]>(
    useCallback(
      async (ctx, target) => {
        const log = services.openLog('update-rollback');
        log.redact(target.settings.settings.database.password);
        ctx.emit({ type: 'log', file: log.path });
        try {
          return await services.rollback(target, {
            log,
            // The screen asked for the database name to be typed before starting.
            confirmed: true,
            onEvent: (event) => {
              const line = rollbackEventLine(event);
              if (line !== null) ctx.emit({ type: 'line', text: line });
            },
          });
        } finally {
          log.close();
        }
      },
      [services],
    ),
  );

  const fixingPostgis = useTask<string[], [InstanceInfo, string[]]>(
    useCallback(async (_ctx, target, databases) => services.updatePostgis(target, databases), [services]),
  );

  return { checking, running, rollingBack, fixingPostgis, steps, failure };
}
