import type { UpdateEvent } from '../../tasks/update/run.js';
import type { UpdateStep } from '../../tasks/update/plan.js';

/**
 * The Steps panel as a pure reducer over the run's events: one row per planned command (and one for the backup),
 * each pending, running (since when), done or failed (with its seconds), and the last line it printed.
 */
export type RowState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface StepRow {
  title: string;
  stage: number;
  state: RowState;
  startedAt?: number;
  seconds?: number;
  last?: string;
}

export interface StepsState {
  backup: StepRow;
  rows: StepRow[];
}

export type StepsAction =
  | { type: 'plan'; steps: UpdateStep[]; skipBackup: boolean }
  /** Retry from a failed step: it and the ones after it are pending again; the backup stays as it was. */
  | { type: 'retry'; from: number }
  | { type: 'event'; event: UpdateEvent; at: number };

export function initialSteps(): StepsState {
  return { backup: { title: 'backup', stage: 1, state: 'pending' }, rows: [] };
}

function backupRow(row: StepRow, event: Extract<UpdateEvent, { type: 'backup' }>['event'], at: number): StepRow {
  switch (event.type) {
    case 'started':
      return { ...row, state: 'running', startedAt: at, last: event.file };
    case 'progress':
      return { ...row, last: event.table ? `dumping ${event.table}` : row.last };
    case 'verifying':
      return { ...row, last: 'verifying the dump' };
    case 'done':
      return { ...row, state: 'done', seconds: row.startedAt ? (at - row.startedAt) / 1000 : undefined, last: event.path };
    default:
      return row;
  }
}

export function stepsReducer(state: StepsState, action: StepsAction): StepsState {
  switch (action.type) {
    case 'plan':
      return {
        backup: { title: 'backup', stage: 1, state: action.skipBackup ? 'skipped' : 'pending', last: action.skipBackup ? 'NO BACKUP (skipped)' : undefined },
        rows: action.steps.map((step) => ({ title: step.title, stage: step.stage, state: 'pending' })),
      };
    case 'retry':
      return { ...state, rows: state.rows.map((row, i) => (i >= action.from ? { title: row.title, stage: row.stage, state: 'pending' } : row)) };
    case 'event': {
      const { event, at } = action;
      if (event.type === 'backup') return { ...state, backup: backupRow(state.backup, event.event, at) };
      if (event.type === 'backup-skipped') return { ...state, backup: { ...state.backup, state: 'skipped', last: 'NO BACKUP (skipped)' } };
      const rows = state.rows.map((row, i) => {
        if (i !== event.index) return row;
        if (event.type === 'output') return event.line.trim() ? { ...row, last: event.line.trim() } : row;
        if (event.state === 'running') return { ...row, state: 'running' as const, startedAt: at, seconds: undefined, last: undefined };
        return { ...row, state: event.state, seconds: event.seconds };
      });
      return { ...state, rows };
    }
  }
}

/** The index of the failed row, if a row failed. */
export function failedIndex(state: StepsState): number | undefined {
  const index = state.rows.findIndex((row) => row.state === 'failed');
  return index < 0 ? undefined : index;
}
