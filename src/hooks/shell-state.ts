import { actionFor, globalKeys } from './keymap.js';

/**
 * The shell's state as a pure reducer: which screens are stacked, whether help is shown, and what the
 * current screen holds. A screen that is `busy` (a task is running) keeps q and Esc for itself; one that is
 * `typing` (a text field has focus) receives every key, so a typed 'q' or '?' stays text.
 */
export interface ShellState {
  stack: string[];
  help: boolean;
  busy: number;
  typing: number;
}

export type HoldKind = 'busy' | 'typing';

export type ShellEvent =
  | { type: 'open'; id: string }
  | { type: 'back' }
  | { type: 'toggle-help' }
  | { type: 'close-help' }
  | { type: 'hold'; kind: HoldKind; on: boolean };

export const HOME_ID = 'home';

/** Home, or Home with one screen opened over it (`catmaid-tui monitor` opens the Monitor directly). */
export function initialShell(initialScreen?: string): ShellState {
  return { stack: initialScreen ? [HOME_ID, initialScreen] : [HOME_ID], help: false, busy: 0, typing: 0 };
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
    case 'hold': {
      const next = Math.max(0, state[event.kind] + (event.on ? 1 : -1));
      return { ...state, [event.kind]: next };
    }
  }
}

export function currentScreen(state: ShellState): string {
  return state.stack[state.stack.length - 1];
}

/** What a key does at shell level in this state; undefined leaves it to the screen. */
export type ShellDecision = 'toggle-help' | 'close-help' | 'back' | 'quit';

export function shellDecision(state: ShellState, name: string): ShellDecision | undefined {
  if (state.typing > 0) return undefined;
  const action = actionFor(globalKeys, name);
  if (state.help) return action === undefined ? undefined : 'close-help';
  const atHome = state.stack.length <= 1;
  switch (action) {
    case 'help':
      return 'toggle-help';
    case 'back':
      return atHome || state.busy > 0 ? undefined : 'back';
    case 'quit':
      return atHome || state.busy === 0 ? 'quit' : undefined;
    default:
      return undefined;
  }
}
