import { useCallback, useEffect, useRef } from 'react';
import { oneLine } from '../tasks/errors.js';
import { useHold } from './shell-context.js';
import { idleTask, taskReducer, type TaskAction, type TaskEvent, type TaskState } from './task-state.js';
import { useCurrentReducer } from './useCurrentReducer.js';

export interface TaskContext {
  emit(event: TaskEvent): void;
  /** Aborted when the user cancels or the screen is left; tasks pass it to execa (`cancelSignal`). */
  signal: AbortSignal;
}

export type TaskRunner<T, A extends unknown[]> = (context: TaskContext, ...args: A) => Promise<T>;

/**
 * Run an async task from a screen: its events become state, and while it runs the screen holds the shell
 * `busy` (q and Esc do not leave in the middle of it). Events of an earlier, replaced run are ignored.
 * `current()` is the newest state, before React has rendered it: a screen routes the key right after the one
 * that started the task by it (useKeyRoute).
 */
export function useTask<T, A extends unknown[]>(
  run: TaskRunner<T, A>,
): { state: TaskState<T>; start: (...args: A) => void; cancel: () => void; current: () => TaskState<T> } {
  const [state, dispatch, now] = useCurrentReducer(
    taskReducer as (state: TaskState<T>, action: TaskAction<T>) => TaskState<T>,
    undefined,
    idleTask<T>,
  );
  const current = useRef<{ id: number; controller: AbortController } | undefined>(undefined);
  const runRef = useRef(run);
  useEffect(() => {
    runRef.current = run;
  }, [run]);

  const start = useCallback((...args: A) => {
    current.current?.controller.abort();
    const id = (current.current?.id ?? 0) + 1;
    const controller = new AbortController();
    current.current = { id, controller };
    const mine = (): boolean => current.current?.id === id;
    dispatch({ type: 'start', at: Date.now() });
    const emit = (event: TaskEvent): void => {
      if (mine()) dispatch({ type: 'event', event });
    };
    runRef.current({ emit, signal: controller.signal }, ...args).then(
      (result) => mine() && dispatch({ type: 'done', result, at: Date.now() }),
      (err: unknown) => {
        if (!mine()) return;
        if (controller.signal.aborted) dispatch({ type: 'cancelled', at: Date.now() });
        else dispatch({ type: 'failed', error: oneLine(err), at: Date.now() });
      },
    );
  }, [dispatch]);

  const cancel = useCallback(() => {
    current.current?.controller.abort();
  }, []);

  useEffect(() => () => current.current?.controller.abort(), []);
  useHold('busy', state.status === 'running');
  return { state, start, cancel, current: now };
}
