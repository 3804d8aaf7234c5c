import { createContext, useContext, useEffect, useState } from 'react';
import type { KeyBinding, KeyPress } from './keymap.js';
import type { HoldKind } from './shell-state.js';
import type { TaskState } from './task-state.js';

/** What a screen may ask of the shell. Provided by src/app.tsx; one shell per process. */
export interface ShellControl {
  open(id: string): void;
  back(): void;
  quit(): void;
  hold(kind: 'busy', on: boolean): void;
  /** Replace the current screen's key list (status bar and help) while its keys differ from the static ones. */
  publishKeys(keys: KeyBinding[] | undefined): void;
  /** The instance changed (an update, a restore, a settings edit): read it again for the title bar and Home. */
  changed?(): void;
  /**
   * A screen that watches the database itself (the Monitor) tells the title bar what it sees, so the bar
   * never says "up" while the screen is reconnecting; undefined hands it back to the shell's own check.
   */
  reportDatabase?(report: DatabaseReport | undefined): void;
  /**
   * The current screen (layer 'screen') or a question over it (layer 'question', a Confirm) takes its keys through
   * the shell (useKeyRoute), which asks it key by key what it holds; the question, while there is one, before the
   * screen. Returns the function that hands them back.
   */
  route?(route: KeyRoute, layer: RouteLayer): () => void;
  /**
   * What a routed screen or question holds as it was last drawn (undefined once it no longer routes): the status
   * bar follows it (no q and Esc while busy, only the field's keys while typing). Keys never go by it: the shell
   * asks the route at each key.
   */
  shown?(layer: RouteLayer, shown: RouteShown | undefined): void;
}

export interface RouteShown {
  hold: HoldKind | undefined;
  /** The keys of what is typed into, when the screen's published keys are not them (a question's word). */
  keys?: readonly KeyBinding[];
}

export type RouteLayer = 'screen' | 'question';

/** A screen or question whose mode follows each key at once, read from its newest state (not its last render). */
export interface KeyRoute {
  /** What it keeps from the shell at this key: q and Esc ('busy'), or every key ('typing'). */
  hold(): HoldKind | undefined;
  take(press: KeyPress): void;
  /**
   * The screen's newest state shows a question that is not drawn yet (the key before opened it): the shell keeps
   * the keys and hands them to the question once it has routed.
   */
  waiting?(): boolean;
  /** Its own keys for the status bar while it is typed into (a question over a screen); else the screen's. */
  keys?: readonly KeyBinding[];
}

export interface DatabaseReport {
  up: boolean;
  /** The badge's word: 'up', 'disconnected', 'reconnecting'. */
  text: string;
}

const inert: ShellControl = { open() {}, back() {}, quit() {}, hold() {}, publishKeys() {}, changed() {} };

export const ShellContext = createContext<ShellControl>(inert);

export function useShell(): ShellControl {
  return useContext(ShellContext);
}

/**
 * While `active`, tell the shell the screen is busy (q and Esc stay with the screen, the status bar leaves them
 * out). Released on unmount, so a screen that is left never keeps a hold. A text field is never a hold: a hold
 * comes a render late, so the screen routes its keys (useKeyRoute) and says it key by key.
 */
export function useHold(kind: 'busy', active: boolean): void {
  const { hold } = useShell();
  useEffect(() => {
    if (!active) return undefined;
    hold(kind, true);
    return () => hold(kind, false);
  }, [kind, active, hold]);
}

/** While `active`, tell the title bar the database state this screen sees; released on unmount. */
export function useDatabaseReport(report: DatabaseReport | undefined, active: boolean): void {
  const { reportDatabase } = useShell();
  const up = report?.up;
  const text = report?.text;
  useEffect(() => {
    if (!active || up === undefined || text === undefined) return undefined;
    reportDatabase?.({ up, text });
    return () => reportDatabase?.(undefined);
  }, [up, text, active, reportDatabase]);
}

/**
 * Show these keys in the status bar and help while `active` (e.g. a failure's retry/rollback choice). A new
 * array with the same bindings (`asking ? [] : keys`) publishes nothing: each publication re-renders the shell
 * and the screen, which would publish again, without end.
 */
export function useScreenKeys(keys: KeyBinding[] | undefined, active = true): void {
  const { publishKeys } = useShell();
  const [published, setPublished] = useState(keys);
  const shown = sameBindings(published, keys) ? published : keys;
  if (shown !== published) setPublished(shown);
  useEffect(() => {
    if (!active) return undefined;
    publishKeys(shown);
    return () => publishKeys(undefined);
  }, [shown, active, publishKeys]);
}

function sameBindings(a: readonly KeyBinding[] | undefined, b: readonly KeyBinding[] | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((binding, i) => binding === b[i]));
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
