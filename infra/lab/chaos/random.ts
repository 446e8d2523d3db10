/**
 * The chaos run's only source of randomness. Everything the run decides (which job moves where,
 * which fault, when) comes from here, so that one seed replays the same schedule. It reuses the
 * experiment runner's xoshiro128** (infra/experiment/common/prng.ts); nothing in chaos/ may call
 * Math.random.
 */
import { createPrng, deriveSeed, type Prng } from '../../experiment/common/prng.js';

export class Rng {
  private readonly prng: Prng;

  constructor(seed: number, ...labels: readonly (string | number)[]) {
    // A labelled stream per purpose: adding a draw to one purpose does not shift the others.
    this.prng = createPrng(labels.length ? deriveSeed(seed, ...labels) : seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.prng.next();
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + this.prng.int(max - min + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.prng.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new RangeError('pick from an empty list');
    return xs[this.prng.int(xs.length)] as T;
  }

  /** One of `entries`, each chosen with probability proportional to its weight. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let x = this.prng.next() * total;
    for (const [v, w] of entries) {
      if (x < w) return v;
      x -= w;
    }
    const last = entries[entries.length - 1];
    if (!last) throw new RangeError('weighted pick from an empty list');
    return last[0];
  }
}
