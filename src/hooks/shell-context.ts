import { createContext, useContext, useEffect } from 'react';
import type { KeyBinding } from './keymap.js';
import type { HoldKind } from './shell-state.js';
import type { TaskState } from './task-state.js';

/** What a screen may ask of the shell. Provided by src/app.tsx; one shell per process. */
export interface ShellControl {
  open(id: string): void;
  back(): void;
  quit(): void;
  hold(kind: HoldKind, on: boolean): void;
  /** Replace the current screen's key list (status bar and help) while its keys differ from the static ones. */
  publishKeys(keys: KeyBinding[] | undefined): void;
  /** The instance changed (an update, a restore, a settings edit): read it again for the title bar and Home. */
  changed?(): void;
}

const inert: ShellControl = { open() {}, back() {}, quit() {}, hold() {}, publishKeys() {}, changed() {} };

export const ShellContext = createContext<ShellControl>(inert);

export function useShell(): ShellControl {
  return useContext(ShellContext);
}

/**
 * While `active`, tell the shell the screen is busy (q and Esc stay with the screen) or typing (every key
 * goes to the text field). Released on unmount, so a screen that is left never keeps a hold.
 */
export function useHold(kind: HoldKind, active: boolean): void {
  const { hold } = useShell();
  useEffect(() => {
    if (!active) return undefined;
    hold(kind, true);
    return () => hold(kind, false);
  }, [kind, active, hold]);
}

/**
 * Show these keys in the status bar and help while `active` (e.g. a failure's retry/rollback choice); pass a
 * stable array (a module constant or useMemo).
 */
export function useScreenKeys(keys: KeyBinding[] | undefined, active = true): void {
  const { publishKeys } = useShell();
  useEffect(() => {
    if (!active) return undefined;
    publishKeys(keys);
    return () => publishKeys(undefined);
  }, [keys, active, publishKeys]);
}

/**
 * Tell the shell the instance changed each time one of these tasks ends (done, failed or cancelled: a failed
 * update has changed things too). One line in a screen that changes the instance.
 */
export function useChangedAfter(...tasks: Pick<TaskState<unknown>, 'endedAt'>[]): void {
  const { changed } = useShell();
  const ends = tasks.map((task) => task.endedAt ?? 0).join(',');
  useEffect(() => {
    if (/[1-9]/.test(ends)) changed?.();
  }, [ends, changed]);
}
