/*
 * Seeded pseudo-random numbers for simulators and experiments.
 *
 * Experiments must be replayable from a seed, so nothing under infra/experiment may use
 * Math.random. The generator is xoshiro128** (Blackman & Vigna, 2018): 128 bits of state, fast
 * with 32-bit integer arithmetic in JS, and good enough statistically for simulation (it is not
 * cryptographic). Seeds go through splitmix32 so that nearby seeds (1, 2, 3…) give unrelated
 * streams and the all-zero state, which xoshiro cannot leave, never occurs.
 */

export interface Prng {
  /** Uniform in [0, 1) with 32 bits of resolution; the shape pure cores take as `rng`. */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform integer in [0, bound), without modulo bias; bound is an integer in [1, 2^32]. */
  int(bound: number): number;
  /** The four state words, to record or compare a generator's position. */
  state(): readonly [number, number, number, number];
}

const TWO_POW_32 = 4294967296;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** splitmix32 step: expands one 32-bit seed into well-mixed state words. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

class Xoshiro128StarStar implements Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    if ((a | b | c | d) === 0) throw new RangeError('xoshiro128** state must not be all zero');
    this.a = a >>> 0;
    this.b = b >>> 0;
    this.c = c >>> 0;
    this.d = d >>> 0;
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  int(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > TWO_POW_32) {
      throw new RangeError(`int(bound) needs an integer bound in [1, 2^32], got ${bound}`);
    }
    // Rejection keeps every value equally likely when bound does not divide 2^32.
    const limit = TWO_POW_32 - (TWO_POW_32 % bound);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % bound;
    }
  }

  state(): readonly [number, number, number, number] {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }
}

/** A generator from a 32-bit seed (any integer; it is reduced modulo 2^32). */
export function createPrng(seed: number): Prng {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const st = { s: seed | 0 };
  return new Xoshiro128StarStar(splitmix32(st), splitmix32(st), splitmix32(st), splitmix32(st));
}

/** A generator with an explicit state, e.g. to check against the reference implementation. */
export function prngFromState(a: number, b: number, c: number, d: number): Prng {
  return new Xoshiro128StarStar(a, b, c, d);
}

/**
 * Derives an independent 32-bit seed from a base seed and labels, e.g.
 * `deriveSeed(seed, 'topology', 'random', n, trial)`. Each (label…) cell gets its own stream, so a
 * result does not change when other cells are added to or removed from a run.
 */
export function deriveSeed(seed: number, ...labels: readonly (string | number)[]): number {
  // FNV-1a over the text of the labels, then a splitmix32 finish to spread the bits.
  let h = 0x811c9dc5 ^ (seed | 0);
  const text = labels.join('\u0000');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return splitmix32({ s: h });
}

/** Adapts a generator to the `() => number` shape that pure cores take. */
export function rngFunction(prng: Prng): () => number {
  return () => prng.next();
}
