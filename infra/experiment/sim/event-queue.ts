/**
 * The simulator's agenda: a binary min-heap of events ordered by time, then by insertion, so
 * that events at the same instant run in the order they were scheduled (deterministic runs).
 */

interface Slot<E> {
  readonly at: number;
  readonly seq: number;
  readonly event: E;
}

export class EventQueue<E> {
  private readonly heap: Slot<E>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, event: E): void {
    if (!Number.isFinite(at)) throw new RangeError(`event time must be finite, got ${at}`);
    const h = this.heap;
    h.push({ at, seq: this.seq++, event });
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i] as Slot<E>, h[parent] as Slot<E>)) break;
      swap(h, i, parent);
      i = parent;
    }
  }

  /** The earliest event and its time, or undefined when the agenda is empty. */
  pop(): { at: number; event: E } | undefined {
    const h = this.heap;
    const top = h[0];
    if (!top) return undefined;
    const last = h.pop() as Slot<E>;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l] as Slot<E>, h[m] as Slot<E>)) m = l;
        if (r < h.length && before(h[r] as Slot<E>, h[m] as Slot<E>)) m = r;
        if (m === i) break;
        swap(h, i, m);
        i = m;
      }
    }
    return { at: top.at, event: top.event };
  }

  peekTime(): number | undefined {
    return this.heap[0]?.at;
  }
}

function before<E>(a: Slot<E>, b: Slot<E>): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

function swap<T>(xs: T[], i: number, j: number): void {
  const t = xs[i] as T;
  xs[i] = xs[j] as T;
  xs[j] = t;
}
