import type { Completion } from './complete-path.js';

/** What the Extensions screen shows, as a pure reducer: the list, the path field, a question, or the nginx hint. */
export type Mode =
  | { kind: 'list' }
  | { kind: 'add'; input: string; candidates: string[] }
  | { kind: 'confirm-add'; file: string; name: string }
  | { kind: 'confirm-remove'; name: string; deleteFile: boolean }
  | { kind: 'nginx' };

export interface Message {
  tone: 'ok' | 'warn' | 'fail' | 'info';
  text: string;
}

export interface ViewState {
  mode: Mode;
  selected: number;
  /** One line under the list: what the last change did, or why it was refused. */
  message?: Message;
}

export type ViewEvent =
  | { type: 'move'; by: number; count: number }
  | { type: 'add' }
  | { type: 'type'; text: string }
  | { type: 'erase' }
  | { type: 'completed'; completion: Completion }
  | { type: 'ask-add'; file: string; name: string }
  | { type: 'ask-remove'; name: string; deleteFile: boolean }
  | { type: 'nginx' }
  | { type: 'close'; message?: Message }
  | { type: 'message'; message: Message | undefined };

export const initialView: ViewState = { mode: { kind: 'list' }, selected: 0 };

export function viewReducer(state: ViewState, event: ViewEvent): ViewState {
  const { mode } = state;
  switch (event.type) {
    case 'move':
      return { ...state, selected: Math.max(0, Math.min(event.count - 1, state.selected + event.by)) };
    case 'add':
      return { ...state, mode: { kind: 'add', input: '', candidates: [] }, message: undefined };
    case 'type':
      if (mode.kind !== 'add') return state;
      return { ...state, mode: { ...mode, input: mode.input + event.text.replace(/\p{C}/gu, ''), candidates: [] }, message: undefined };
    case 'erase':
      return mode.kind === 'add' ? { ...state, mode: { ...mode, input: mode.input.slice(0, -1), candidates: [] } } : state;
    case 'completed':
      return mode.kind === 'add' ? { ...state, mode: { ...mode, input: event.completion.value, candidates: event.completion.candidates } } : state;
    case 'ask-add':
      return { ...state, mode: { kind: 'confirm-add', file: event.file, name: event.name }, message: undefined };
    case 'ask-remove':
      return { ...state, mode: { kind: 'confirm-remove', name: event.name, deleteFile: event.deleteFile }, message: undefined };
    case 'nginx':
      return { ...state, mode: { kind: 'nginx' }, message: undefined };
    case 'close':
      return { ...state, mode: { kind: 'list' }, message: event.message };
    case 'message':
      return { ...state, message: event.message };
  }
}

/** Keep the selection on a row that exists after the list changed. */
export function clampSelection(selected: number, count: number): number {
  return Math.max(0, Math.min(count - 1, selected));
}
