/**
 * Faults of overlapping migrations hit the same hosts and links. A daemon must not be restarted
 * by one fault while another has it down, and a link healed by one fault while another still
 * wants it cut; these serialise daemon control per host and count nested cuts and drains.
 */

/** Mutual exclusion per key; several keys are taken in sorted order, so two callers never deadlock. */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async with<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const releases: Array<() => void> = [];
    try {
      for (const k of sorted) releases.push(await this.acquire(k));
      return await fn();
    } finally {
      for (const r of releases.reverse()) r();
    }
  }

  private async acquire(key: string): Promise<() => void> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const mine = new Promise<void>((r) => (release = r));
    const tail = prev.then(() => mine);
    this.tails.set(key, tail);
    await prev;
    return () => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
      release();
    };
  }
}

/** Counts nested "on" requests per key: the first turns a thing on, the last "off" turns it off. */
export class RefCount {
  private readonly counts = new Map<string, number>();

  /** True if this was the first (the thing must be turned on now). */
  up(key: string): boolean {
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n === 1;
  }

  /** True if this was the last (the thing must be turned off now). */
  down(key: string): boolean {
    const n = Math.max(0, (this.counts.get(key) ?? 0) - 1);
    if (n === 0) this.counts.delete(key);
    else this.counts.set(key, n);
    return n === 0;
  }
}
