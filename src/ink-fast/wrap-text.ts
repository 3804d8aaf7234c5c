import cliTruncate from 'cli-truncate';
import wrapAnsi from 'wrap-ansi';
import { BoundedCache } from './caches.js';

/** Replaces ink 6.8's build/wrap-text.js in the bundle: the same wrapping and truncation, a bounded cache. */
const cache = new BoundedCache<string>(500);

export default function wrapText(text: string, maxWidth: number, wrapType: string): string {
  const key = `${wrapType}\u0000${maxWidth}\u0000${text}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  let wrapped = text;
  if (wrapType === 'wrap') wrapped = wrapAnsi(text, maxWidth, { trim: false, hard: true });
  if (wrapType.startsWith('truncate')) {
    const position = wrapType === 'truncate-middle' ? 'middle' : wrapType === 'truncate-start' ? 'start' : 'end';
    wrapped = cliTruncate(text, maxWidth, { position });
  }
  return cache.set(key, wrapped);
}
