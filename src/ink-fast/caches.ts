/**
 * ink's own text caches keep every string ever drawn (ink#986), which a screen whose numbers change every
 * second turns into a leak. These two forget.
 */

/** A memo that forgets everything once it holds `limit` entries; the hot path stays one Map lookup. */
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

/**
 * A memo of what the last frame used: `nextFrame()` starts a frame, and what neither this frame nor the one
 * before asked for is gone. For values too big to keep many of (a tokenized line is an object per character).
 */
export class FrameCache<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  nextFrame(): void {
    this.previous = this.current;
    this.current = new Map();
  }

  get(key: string, make: (key: string) => V): V {
    let value = this.current.get(key);
    if (value === undefined) {
      value = this.previous.get(key) ?? make(key);
      this.current.set(key, value);
    }
    return value;
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}
