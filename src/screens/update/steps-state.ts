import type { UpdateEvent } from '../../tasks/update/run.js';
import type { UpdateStep } from '../../tasks/update/plan.js';

/**
 * The Steps panel as a pure reducer over the run's events: one row per planned command (and one for the backup),
 * each pending, running (since when), done or failed (with its seconds), and the last line it printed.
 */
export type RowState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface StepRow {
  id: string;
  title: string;
  stage: number;
  state: RowState;
  startedAt?: number;
  seconds?: number;
  last?: string;
}

export interface StepsState {
  rows: StepRow[];
}

export type StepsAction =
  | { type: 'plan'; steps: UpdateStep[] }
  /** Retry from a failed step: it and the ones after it are pending again; the backup stays as it was. */
  | { type: 'retry'; from: number }
  /** An unfinished update goes on: its plan, the steps before `from` done in the earlier run. */
  | { type: 'resume'; steps: UpdateStep[]; from: number }
  | { type: 'event'; event: UpdateEvent; at: number };

export function initialSteps(): StepsState {
  return { rows: [] };
}

function backupRow(row: StepRow, event: Extract<UpdateEvent, { type: 'backup' }>['event'], at: number): StepRow {
  switch (event.type) {
    case 'started':
      return { ...row, state: 'running', startedAt: row.startedAt ?? at, last: event.file };
    case 'progress':
      return { ...row, last: event.table ? `dumping ${event.table}` : row.last };
    case 'verifying':
      return { ...row, last: 'verifying the dump' };
    case 'done':
      return { ...row, last: event.path };
    default:
      return row;
  }
}

const pending = (step: UpdateStep): StepRow => ({ id: step.id, title: step.title, stage: step.stage, state: 'pending' });

export function stepsReducer(state: StepsState, action: StepsAction): StepsState {
  switch (action.type) {
    case 'plan': {
      const rows = action.steps.map(pending);
      // No backup step: say so where it would have been, loudly.
      if (!action.steps.some((s) => s.id === 'backup')) rows.unshift({ id: 'backup', title: 'backup', stage: 1, state: 'skipped', last: 'NO BACKUP (skipped)' });
      return { rows };
    }
    case 'resume':
      return { rows: action.steps.map((step, i) => ({ ...pending(step), state: i < action.from ? 'done' : 'pending' })) };
    case 'retry':
      return { rows: state.rows.map((row, i) => (i >= action.from + offset(state) ? { id: row.id, title: row.title, stage: row.stage, state: 'pending' } : row)) };
    case 'event': {
      const { event, at } = action;
      if (event.type === 'backup') return { rows: state.rows.map((row) => (row.id === 'backup' ? backupRow(row, event.event, at) : row)) };
      if (event.type === 'backup-skipped') return state;
      const rows = state.rows.map((row, i) => {
        if (i !== event.index + offset(state)) return row;
        if (event.type === 'output') return event.line.trim() ? { ...row, last: event.line.trim() } : row;
        if (event.state === 'running') return { ...row, state: 'running' as const, startedAt: at, seconds: undefined, last: row.id === 'backup' ? row.last : undefined };
        return { ...row, state: event.state, seconds: event.seconds };
      });
      return { rows };
    }
  }
}

/** The skipped-backup row stands before the plan's steps: event indexes count from after it. */
const offset = (state: StepsState): number => (state.rows[0]?.state === 'skipped' && state.rows[0].id === 'backup' ? 1 : 0);

/** The index of the failed step in the plan, if a step failed. */
export function failedIndex(state: StepsState): number | undefined {
  const index = state.rows.findIndex((row) => row.state === 'failed');
  return index < 0 ? undefined : index - offset(state);
}
