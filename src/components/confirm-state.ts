import type { KeyBinding } from '../hooks/keymap.js';

/**
 * A confirmation as a pure reducer. The selection starts on the safe choice; the dangerous form confirms only
 * when the exact word has been typed (like Shopify's DangerousConfirmationPrompt).
 */
export interface ConfirmState {
  choice: 'no' | 'yes';
  typed: string;
  /** Enter was pressed with the wrong word: say so. */
  mismatch: boolean;
}

export type ConfirmEvent =
  | { type: 'toggle' }
  | { type: 'choose'; choice: 'no' | 'yes' }
  | { type: 'type'; text: string }
  | { type: 'erase' }
  | { type: 'mismatch' };

export function initialConfirm(): ConfirmState {
  return { choice: 'no', typed: '', mismatch: false };
}

export function confirmReducer(state: ConfirmState, event: ConfirmEvent): ConfirmState {
  switch (event.type) {
    case 'toggle':
      return { ...state, choice: state.choice === 'no' ? 'yes' : 'no' };
    case 'choose':
      return { ...state, choice: event.choice };
    case 'type':
      return { ...state, typed: state.typed + event.text.replace(/[\p{C}]/gu, ''), mismatch: false };
    case 'erase':
      return { ...state, typed: state.typed.slice(0, -1), mismatch: false };
    case 'mismatch':
      return { ...state, mismatch: true };
  }
}

/** What Enter does now: confirm, cancel (the safe choice is selected) or refuse a wrong word. */
export function confirmOutcome(state: ConfirmState, word?: string): 'confirm' | 'cancel' | 'mismatch' {
  if (word !== undefined) return state.typed === word ? 'confirm' : 'mismatch';
  return state.choice === 'yes' ? 'confirm' : 'cancel';
}

export type ConfirmAction = 'toggle' | 'yes' | 'no' | 'enter' | 'cancel';

export const confirmKeys: KeyBinding<ConfirmAction>[] = [
  { action: 'toggle', keys: ['left', 'right', 'tab', 'h', 'l'], label: '← →', help: 'switch choice', hint: '←→ choose' },
  { action: 'enter', keys: ['enter'], label: '⏎', help: 'take the selected choice', hint: '⏎ ok' },
  { action: 'yes', keys: ['y'], label: 'y', help: 'yes' },
  { action: 'no', keys: ['n'], label: 'n', help: 'no' },
  { action: 'cancel', keys: ['esc'], label: 'Esc', help: 'cancel', hint: 'esc cancel' },
];

/** In the dangerous form every printable key is text; only these are keys. */
export const dangerousKeys: KeyBinding<'enter' | 'erase' | 'cancel'>[] = [
  { action: 'enter', keys: ['enter'], label: '⏎', help: 'confirm with the typed word', hint: '⏎ confirm' },
  { action: 'erase', keys: ['backspace'], label: '⌫', help: 'erase a character' },
  { action: 'cancel', keys: ['esc'], label: 'Esc', help: 'cancel', hint: 'esc cancel' },
];
