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
import { runUpdate, UpdateStepError, type RunUpdateOptions, type UpdateSummary } from '../tasks/update/run.js';
import { useTask } from './useTask.js';

/** The update tasks the screen calls: the real ones by default; screen tests pass fakes. */
export interface UpdateServices {
  /** Reads the instance again (git state, running servers) before checking: the shell's copy may be old. */
  refresh(info: InstanceInfo): Promise<InstanceInfo>;
  preflight(info: InstanceInfo, options: UpdateOptions): Promise<UpdatePreview>;
  run(info: InstanceInfo, preview: UpdatePreview, options: RunUpdateOptions): Promise<UpdateSummary>;
  rollback(info: InstanceInfo, options: RollbackOptions): Promise<RollbackResult>;
  openLog(task: string): TaskLog;
  backupDir(info: InstanceInfo): string;
}

export const updateServices: UpdateServices = {
  refresh: (info) => discoverInstance({ name: info.name, root: info.layout.root, via: '--catmaid-dir' }),
  preflight: preflightUpdate,
  run: runUpdate,
  rollback: rollbackUpdate,
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

  const running = useTask<UpdateSummary, [Checked, Failure | undefined]>(
    useCallback(
      async (ctx, checked, retry) => {
        const log = services.openLog(retry ? 'update-retry' : 'update');
        log.redact(checked.info.settings.settings.database.password);
        ctx.emit({ type: 'log', file: log.path });
        if (retry) dispatch({ type: 'retry', from: retry.index });
        else dispatch({ type: 'plan', steps: checked.preview.steps });
        setFailure(undefined);
        previewLines(checked.preview).forEach((line) => log.line(line));
        try {
          return await services.run(checked.info, checked.preview, {
            backupDir: services.backupDir(checked.info),
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

  return { checking, running, rollingBack, steps, failure };
}
