import type { Key } from 'ink';

/**
 * Key maps are data: the same list drives the input handler, the status bar's hints and the help overlay,
 * so what a screen says it does and what it does cannot drift apart.
 */
export interface KeyBinding<A extends string = string> {
  action: A;
  /** Key names as `keyName` returns them: 'up', 'enter', 'esc', 'space', 'ctrl+c', or a character. */
  keys: string[];
  /** How the help overlay names the keys, e.g. '↑ k'. */
  label: string;
  /** What the key does, for the help overlay. */
  help: string;
  /** Short form for the status bar ('↑↓ move'); bindings without one are left out of the bar. */
  hint?: string;
}

/** A stable name for one key press, independent of how ink splits it into `input` and `key`. */
export function keyName(input: string, key: Key): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pgup';
  if (key.pageDown) return 'pgdn';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input) return `ctrl+${input}`;
  if (input === ' ') return 'space';
  return input;
}

const CONTROL_CHARS: Record<string, string> = { '\r': 'enter', '\n': 'enter', '\t': 'tab', '\x7f': 'backspace', '\b': 'backspace', ' ': 'space' };

/**
 * The key names in one chunk of input. Keys typed quickly (or sent by tmux in one write) reach ink as one
 * string such as 'j\r'; taken whole it would match nothing, so plain characters are named one by one.
 */
export function keyNames(input: string, key: Key): string[] {
  const name = keyName(input, key);
  if (input.length <= 1 || name !== input || input.includes('\x1b')) return [name];
  return [...input].map((char) => CONTROL_CHARS[char] ?? char);
}

/** One key of a chunk: its name, and the text it types ('' for arrows, Ctrl+… and Alt+…; a field drops control characters). */
export interface KeyPress {
  name: string;
  text: string;
}

/** The keys of one chunk in order, so that each can be routed by the mode the one before it left. */
export function keyPresses(input: string, key: Key): KeyPress[] {
  const names = keyNames(input, key);
  const chars = names.length > 1 ? [...input] : [input];
  const plain = !key.ctrl && !key.meta;
  return names.map((name, i) => ({ name, text: plain ? (chars[i] ?? '') : '' }));
}

/** The action bound to a key name, if any. */
export function actionFor<A extends string>(bindings: readonly KeyBinding<A>[], name: string): A | undefined {
  return bindings.find((binding) => binding.keys.includes(name))?.action;
}

/** The status bar's form of a key map: 'a · b · c'. */
export function hintLine(bindings: readonly KeyBinding[]): string {
  return bindings
    .map((binding) => binding.hint)
    .filter((hint): hint is string => Boolean(hint))
    .join(' · ');
}

/** Moving through a list: every list screen shares these. */
export const listKeys: KeyBinding<'up' | 'down' | 'first' | 'last'>[] = [
  { action: 'up', keys: ['up', 'k'], label: '↑ k', help: 'move up', hint: '↑↓ move' },
  { action: 'down', keys: ['down', 'j'], label: '↓ j', help: 'move down' },
  { action: 'first', keys: ['home', 'g'], label: 'Home g', help: 'first entry' },
  { action: 'last', keys: ['end', 'G'], label: 'End G', help: 'last entry' },
];

export const openKey: KeyBinding<'open'> = {
  action: 'open',
  keys: ['enter'],
  label: '⏎',
  help: 'open the selected entry',
  hint: '⏎ open',
};

/** Keys the shell handles on every screen. */
export type GlobalAction = 'help' | 'back' | 'quit';

export const globalKeys: KeyBinding<GlobalAction>[] = [
  { action: 'help', keys: ['?'], label: '?', help: 'show or hide this help', hint: '? help' },
  { action: 'back', keys: ['esc'], label: 'Esc', help: 'back to the previous screen', hint: 'esc back' },
  { action: 'quit', keys: ['q'], label: 'q', help: 'quit (Ctrl+C always quits)', hint: 'q quit' },
];
