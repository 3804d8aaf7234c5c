/**
 * Symbols carry the meaning; colour only repeats it. With NO_COLOR (or --no-color, which the CLI turns into
 * FORCE_COLOR=0) no colour is asked for at all, whatever the colour library decided at import time.
 */
export type Tone = 'ok' | 'warn' | 'fail' | 'up' | 'down' | 'idle' | 'info';

export const SYMBOL: Record<Tone, string> = {
  ok: '✓',
  warn: '!',
  fail: '✗',
  up: '●',
  down: '✗',
  idle: '·',
  info: 'i',
};

const COLOUR: Record<Tone, string> = {
  ok: 'green',
  warn: 'yellow',
  fail: 'red',
  up: 'green',
  down: 'red',
  idle: 'gray',
  info: 'cyan',
};

export function colourEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NO_COLOR === undefined && env.FORCE_COLOR !== '0';
}

/** The colour for a tone, or undefined when colour is off. */
export function tone(kind: Tone): string | undefined {
  return colourEnabled() ? COLOUR[kind] : undefined;
}

/** Cut `text` to `width` cells with an ellipsis (at the end, or at the start for paths). */
export function truncate(text: string, width: number, from: 'end' | 'start' = 'end'): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width === 1) return '…';
  return from === 'end' ? `${text.slice(0, width - 1)}…` : `…${text.slice(text.length - width + 1)}`;
}
