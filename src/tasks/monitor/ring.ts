/**
 * A bounded ring buffer: the sparkline history holds the last `capacity` values and never grows beyond them,
 * however long the monitor runs.
 */
export class Ring<T> {
  private readonly items: T[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be ≥ 1, got ${capacity}`);
    this.items = new Array<T>(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(value: T): void {
    const end = (this.start + this.count) % this.capacity;
    this.items[end] = value;
    if (this.count < this.capacity) this.count += 1;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Oldest first. */
  values(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i += 1) out.push(this.items[(this.start + i) % this.capacity]);
    return out;
  }

  last(): T | undefined {
    return this.count === 0 ? undefined : this.items[(this.start + this.count - 1) % this.capacity];
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
  }
}
