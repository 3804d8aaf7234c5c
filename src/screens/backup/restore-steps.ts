import type { ProgressFigures } from '../../tasks/backup/progress.js';
import { RESTORE_STEPS, type RestoreEvent, type RestoreStep } from '../../tasks/backup/restore.js';

/** The Restore screen's steps as a pure reducer over the task's events: each pending, running, ✓, skipped or ✗. */
export type RowState = 'pending' | 'running' | 'done' | 'skipped' | 'failed';

export interface RestoreRow {
  step: RestoreStep;
  title: string;
  state: RowState;
  detail?: string;
  startedAt?: number;
  seconds?: number;
}

export interface RestoreSteps {
  rows: RestoreRow[];
  warnings: string[];
  /** Of the running step: bytes read or fed, or the table pg_restore is at; the safety backup's own figures. */
  figures?: ProgressFigures & { table: string | null };
}

export const STEP_TITLE: Record<RestoreStep, string> = {
  verify: 'verify the dump (sha256, complete)',
  'safety-backup': 'safety backup of the current database',
  restore: 'restore into the database',
  'rebuild-derived': 'rebuild the derived tables',
};

export function initialSteps(): RestoreSteps {
  return { rows: RESTORE_STEPS.map((step) => ({ step, title: STEP_TITLE[step], state: 'pending' })), warnings: [] };
}

export type StepsAction = { type: 'reset' } | { type: 'event'; event: RestoreEvent; at: number } | { type: 'failed'; error: string; at: number };

const running = (rows: RestoreRow[]) => rows.find((r) => r.state === 'running');

export function stepsReducer(state: RestoreSteps, action: StepsAction): RestoreSteps {
  if (action.type === 'reset') return initialSteps();
  if (action.type === 'failed') {
    const at = running(state.rows);
    // A failure before any step ran (the database unreachable) belongs to the first step.
    const step = at?.step ?? state.rows.find((r) => r.state === 'pending')?.step;
    const rows = state.rows.map((r) =>
      r.step === step ? { ...r, state: 'failed' as const, detail: action.error, seconds: r.startedAt ? (action.at - r.startedAt) / 1000 : undefined } : r,
    );
    return { ...state, rows, figures: undefined };
  }
  const { event, at } = action;
  switch (event.type) {
    case 'step': {
      const rows = state.rows.map((r) => {
        if (r.step !== event.step) return r;
        if (event.state === 'running') return { ...r, state: 'running' as const, startedAt: at, detail: event.detail };
        return { ...r, state: event.state, detail: event.detail, seconds: r.startedAt ? (at - r.startedAt) / 1000 : undefined };
      });
      return { ...state, rows, figures: event.state === 'running' ? undefined : state.figures };
    }
    case 'warning':
      return { ...state, warnings: [...state.warnings, event.message] };
    case 'sessions':
    case 'lock-wait':
      return state;
    case 'progress': {
      const { type: _type, ...figures } = event;
      return { ...state, figures: { ...figures, table: figures.table ?? state.figures?.table ?? null } };
    }
    case 'safety-backup': {
      const inner = event.event;
      if (inner.type === 'progress') {
        const { type: _type, ...figures } = inner;
        return { ...state, figures: { ...figures, table: figures.table ?? state.figures?.table ?? null } };
      }
      if (inner.type === 'started') return { ...state, rows: state.rows.map((r) => (r.step === 'safety-backup' ? { ...r, detail: inner.file } : r)) };
      return state;
    }
  }
}
