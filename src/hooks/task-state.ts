/**
 * What a running task tells its screen, as a pure reducer. Tasks emit events; the screen shows a spinner or
 * progress, the last lines, and the log file, so long work is never silent.
 */
export type TaskEvent =
  | { type: 'line'; text: string }
  | { type: 'progress'; done: number; total?: number; label?: string }
  | { type: 'log'; file: string };

export interface TaskProgress {
  done: number;
  total?: number;
  label?: string;
}

export type TaskStatus = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

export interface TaskState<T> {
  status: TaskStatus;
  /** The newest output lines (at most MAX_TASK_LINES). */
  lines: string[];
  progress?: TaskProgress;
  logFile?: string;
  result?: T;
  error?: string;
  startedAt?: number;
  endedAt?: number;
}

export const MAX_TASK_LINES = 500;

export type TaskAction<T> =
  | { type: 'start'; at: number }
  | { type: 'event'; event: TaskEvent }
  | { type: 'done'; result: T; at: number }
  | { type: 'failed'; error: string; at: number }
  | { type: 'cancelled'; at: number };

export function idleTask<T>(): TaskState<T> {
  return { status: 'idle', lines: [] };
}

function withLines(lines: string[], text: string): string[] {
  const added = text.replace(/\r\n/g, '\n').split('\n');
  if (added.length > 1 && added[added.length - 1] === '') added.pop();
  return [...lines, ...added].slice(-MAX_TASK_LINES);
}

export function taskReducer<T>(state: TaskState<T>, action: TaskAction<T>): TaskState<T> {
  switch (action.type) {
    case 'start':
      return { status: 'running', lines: [], startedAt: action.at };
    case 'event': {
      if (state.status !== 'running') return state;
      const { event } = action;
      if (event.type === 'line') return { ...state, lines: withLines(state.lines, event.text) };
      if (event.type === 'progress') {
        return { ...state, progress: { done: event.done, total: event.total, label: event.label } };
      }
      return { ...state, logFile: event.file };
    }
    case 'done':
      return state.status === 'running' ? { ...state, status: 'done', result: action.result, endedAt: action.at } : state;
    case 'failed':
      return state.status === 'running' ? { ...state, status: 'failed', error: action.error, endedAt: action.at } : state;
    case 'cancelled':
      return state.status === 'running' ? { ...state, status: 'cancelled', endedAt: action.at } : state;
  }
}

/** Progress as a fraction 0..1, when the total is known. */
export function progressFraction(progress: TaskProgress | undefined): number | undefined {
  if (!progress?.total || progress.total <= 0) return undefined;
  return Math.min(1, Math.max(0, progress.done / progress.total));
}
