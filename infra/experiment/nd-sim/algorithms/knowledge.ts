import type { Topology } from '../topologies.js';

/*
 * Who-knows-whom for n nodes in flat typed arrays: a bitset per node for O(1) membership, and the
 * known ids per node in the order they were learnt. The order matters: uniform picks index into
 * it, and keeping it identical to the core's insertion order is what makes the fast Name Dropper
 * replay the core exactly. Lists are append-only, so the state at the start of a round is just
 * each list's length then (see snapshotLengths), which is how the synchronous model is kept
 * without copying.
 */
export class Knowledge {
  readonly n: number;
  readonly words: number;
  readonly bits: Uint32Array;
  readonly list: Uint16Array | Uint32Array;
  readonly len: Int32Array;
  /** Sum of len: known ordered pairs. */
  total = 0;

  private readonly keepLists: boolean;

  /** @param keepLists false when nobody picks from the lists (saves the n² array). */
  constructor(n: number, keepLists = true) {
    this.n = n;
    this.words = (n + 31) >>> 5;
    this.bits = new Uint32Array(n * this.words);
    this.keepLists = keepLists;
    // n ≤ 65536 fits ids in 16 bits, which halves the n² list (200 MB at n = 10 000).
    const size = keepLists ? n * n : 0;
    this.list = n <= 65536 ? new Uint16Array(size) : new Uint32Array(size);
    this.len = new Int32Array(n);
  }

  /** Seeds each node with its initial neighbours, in topology order (the core merges them so). */
  static fromTopology(t: Topology, keepLists = true): Knowledge {
    const k = new Knowledge(t.n, keepLists);
    t.out.forEach((list, v) => {
      for (const u of list) k.add(v, u);
    });
    return k;
  }

  has(v: number, u: number): boolean {
    return ((this.bits[v * this.words + (u >>> 5)] ?? 0) & (1 << (u & 31))) !== 0;
  }

  /** Adds u to v's set; false if v already knew u or u is v. */
  add(v: number, u: number): boolean {
    if (u === v) return false;
    const w = v * this.words + (u >>> 5);
    const bit = 1 << (u & 31);
    const old = this.bits[w] ?? 0;
    if ((old & bit) !== 0) return false;
    this.bits[w] = old | bit;
    if (this.keepLists) this.list[v * this.n + (this.len[v] ?? 0)] = u;
    this.len[v] = (this.len[v] ?? 0) + 1;
    this.total++;
    return true;
  }

  complete(): boolean {
    return this.total === this.n * (this.n - 1);
  }

  knownFraction(): number {
    return this.total / (this.n * (this.n - 1));
  }

  snapshotLengths(): Int32Array {
    return this.len.slice();
  }
}

/** Bits set in a 32-bit word (SWAR popcount). */
export function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
