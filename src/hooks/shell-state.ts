import { actionFor, globalKeys } from './keymap.js';

/**
 * The shell's state as a pure reducer: which screens are stacked, whether help is shown, and whether the current
 * screen is `busy` (a task is running: it keeps q and Esc for itself, and the status bar leaves them out).
 */
export interface ShellState {
  stack: string[];
  help: boolean;
  busy: number;
}

/**
 * What the current screen keeps from the shell at one key: q and Esc (`busy`), or every key (`typing`: a text
 * field is being typed into, so a typed q, ? or Esc is the field's). A routed screen says it key by key.
 */
export type HoldKind = 'busy' | 'typing';

export type ShellEvent =
  | { type: 'open'; id: string }
  | { type: 'back' }
  | { type: 'toggle-help' }
  | { type: 'close-help' }
  | { type: 'hold'; kind: 'busy'; on: boolean };

export const HOME_ID = 'home';

/** Home, or Home with one screen opened over it (`catmaid-tui monitor` opens the Monitor directly). */
export function initialShell(initialScreen?: string): ShellState {
  return { stack: initialScreen ? [HOME_ID, initialScreen] : [HOME_ID], help: false, busy: 0 };
}

export function shellReducer(state: ShellState, event: ShellEvent): ShellState {
  switch (event.type) {
    case 'open':
      if (state.stack[state.stack.length - 1] === event.id) return state;
      return { ...state, stack: [...state.stack, event.id], help: false };
    case 'back':
      if (state.stack.length <= 1) return state;
      return { ...state, stack: state.stack.slice(0, -1), help: false };
    case 'toggle-help':
      return { ...state, help: !state.help };
    case 'close-help':
      return state.help ? { ...state, help: false } : state;
    case 'hold':
      return { ...state, busy: Math.max(0, state.busy + (event.on ? 1 : -1)) };
  }
}

export function currentScreen(state: ShellState): string {
  return state.stack[state.stack.length - 1];
}

/** What a key does at shell level in this state; undefined leaves it to the screen. */
export type ShellDecision = 'toggle-help' | 'close-help' | 'back' | 'quit';

/** `hold`: what the screen keeps at this very key (its route's answer), on top of the busy holds it has set. */
export function shellDecision(state: ShellState, name: string, hold?: HoldKind): ShellDecision | undefined {
  if (hold === 'typing') return undefined;
  const busy = state.busy > 0 || hold === 'busy';
  const action = actionFor(globalKeys, name);
  if (state.help) return action === undefined ? undefined : 'close-help';
  const atHome = state.stack.length <= 1;
  switch (action) {
    case 'help':
      return 'toggle-help';
    case 'back':
      return atHome || busy ? undefined : 'back';
    case 'quit':
      return atHome || !busy ? 'quit' : undefined;
    default:
      return undefined;
  }
}
