/**
 * A memo that forgets everything once it holds `limit` entries: ink's own text caches keep every string ever
 * drawn (ink#986), which a screen whose numbers change every second turns into a leak. Clearing all at once
 * costs one frame of re-measuring and keeps the hot path to one Map lookup.
 */
export class BoundedCache<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  set(key: string, value: V): V {
    if (this.map.size >= this.limit) this.map.clear();
    this.map.set(key, value);
    return value;
  }

  get size(): number {
    return this.map.size;
  }
}
