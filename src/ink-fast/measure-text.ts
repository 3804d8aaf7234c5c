import { BoundedCache } from './caches.js';
import widestLine from './widest-line.js';

/**
 * Replaces ink 6.8's build/measure-text.js in the bundle (see tsup.config.ts): the same width (widest line,
 * string-width) and height (lines), from a bounded cache, and plain lines measured by their length.
 */
export interface Dimensions {
  width: number;
  height: number;
}

const cache = new BoundedCache<Dimensions>(1000);

export default function measureText(text: string): Dimensions {
  if (text.length === 0) return { width: 0, height: 0 };
  const cached = cache.get(text);
  if (cached) return cached;
  return cache.set(text, { width: widestLine(text), height: text.split('\n').length });
}
