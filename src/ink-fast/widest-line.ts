import stringWidth from 'string-width';
import { BoundedCache } from './caches.js';
import { isPlain } from './plain-text.js';

/**
 * Replaces the `widest-line` package where ink 6.8's modules import it (every Text is measured with it on
 * every frame): the same string-width of the widest line, with plain lines counted by their length and other
 * lines remembered (bounded).
 */
const widths = new BoundedCache<number>(1000);

/** Columns of one line, as string-width counts them. */
export function lineWidth(line: string): number {
  if (isPlain(line)) return line.length;
  return widths.get(line) ?? widths.set(line, stringWidth(line));
}

export default function widestLine(text: string): number {
  let width = 0;
  for (const line of text.split('\n')) width = Math.max(width, lineWidth(line));
  return width;
}
