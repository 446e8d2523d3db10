/*
 * Swamping (the paper's second baseline): every round, every node opens a connection to every
 * node it currently knows and sends it everything it knows plus itself. Knowledge graph distances
 * halve each round, so it finishes in about log₂(diameter) rounds, but each round costs
 * Σ|Γ(v)| connections and Σ|Γ(v)|·(|Γ(v)|+1) pointers: Θ(n³) pointers near the end.
 *
 * Simulated on bitsets with word-wide ORs. Two shortcuts change the work done, never the result
 * or the counts: a receiver that already knows everybody is skipped (its set cannot grow), and
 * each set carries a bound [lo, hi) on its non-zero words, so on the path and ring, where sets
 * are intervals, ORs touch only those words. Even so this is the one Θ(n³) simulation here: at
 * n = 10 000 a run takes about a minute.
 */
import type { Topology } from '../topologies.js';
import { popcount32 } from './knowledge.js';
import type { RunOptions, RunResult } from './types.js';

export function runSwamping(topology: Topology, _rng: () => number, opts: RunOptions): RunResult {
  const n = topology.n;
  const W = (n + 31) >>> 5;
  let cur = new Uint32Array(n * W);
  let nxt = new Uint32Array(n * W);
  let counts = new Int32Array(n);
  let nextCounts = new Int32Array(n);
  // Bounds on the non-zero words of each set: cur[v] is zero outside [lo[v], hi[v]).
  let lo = new Int32Array(n).fill(W);
  let hi = new Int32Array(n);
  let nextLo = new Int32Array(n);
  let nextHi = new Int32Array(n);
  let total = 0;
  topology.out.forEach((list, v) => {
    for (const u of list) {
      const w = v * W + (u >>> 5);
      const bit = 1 << (u & 31);
      if (u !== v && ((cur[w] ?? 0) & bit) === 0) {
        cur[w] = (cur[w] ?? 0) | bit;
        counts[v] = (counts[v] ?? 0) + 1;
        total++;
        lo[v] = Math.min(lo[v] ?? W, u >>> 5);
        hi[v] = Math.max(hi[v] ?? 0, (u >>> 5) + 1);
      }
    }
  });
  const full = n - 1;
  let connections = 0;
  let pointers = 0;

  for (let round = 1; round <= opts.maxRounds; round++) {
    nxt.set(cur);
    nextCounts.set(counts);
    nextLo.set(lo);
    nextHi.set(hi);
    let added = 0;
    for (let v = 0; v < n; v++) {
      const c = counts[v] ?? 0;
      if (c === 0) continue;
      connections += c;
      pointers += c * (c + 1);
      const src = v * W;
      const vWord = v >>> 5;
      const vBit = 1 << (v & 31);
      // The message is v's set plus v, so its word range must include v's word.
      const from = Math.min(lo[v] ?? 0, vWord);
      const to = Math.max(hi[v] ?? W, vWord + 1);
      for (let wi = lo[v] ?? 0, end = hi[v] ?? W; wi < end; wi++) {
        let word = cur[src + wi] ?? 0;
        while (word !== 0) {
          const low = word & -word;
          word ^= low;
          const u = (wi << 5) + (31 - Math.clz32(low));
          if ((nextCounts[u] ?? 0) === full) continue;
          const dst = u * W;
          let gained = 0;
          for (let i = from; i < to; i++) {
            const add = (cur[src + i] ?? 0) & ~(nxt[dst + i] ?? 0);
            if (add !== 0) {
              nxt[dst + i] = (nxt[dst + i] ?? 0) | add;
              gained += popcount32(add);
            }
          }
          // v's set contains u, which must not enter u's own set; v itself must.
          const uw = dst + (u >>> 5);
          const uBit = 1 << (u & 31);
          if (((nxt[uw] ?? 0) & uBit) !== 0) {
            nxt[uw] = (nxt[uw] ?? 0) & ~uBit;
            gained--;
          }
          if (((nxt[dst + vWord] ?? 0) & vBit) === 0) {
            nxt[dst + vWord] = (nxt[dst + vWord] ?? 0) | vBit;
            gained++;
          }
          nextCounts[u] = (nextCounts[u] ?? 0) + gained;
          if (from < (nextLo[u] ?? 0)) nextLo[u] = from;
          if (to > (nextHi[u] ?? W)) nextHi[u] = to;
          added += gained;
        }
      }
    }
    [cur, nxt] = [nxt, cur];
    [counts, nextCounts] = [nextCounts, counts];
    [lo, nextLo] = [nextLo, lo];
    [hi, nextHi] = [nextHi, hi];
    total += added;
    if (total === n * full) {
      return { rounds: round, roundsRun: round, stop: 'complete', connections, pointers, knownFraction: 1, engine: 'fast' };
    }
    if (added === 0) {
      return {
        rounds: null,
        roundsRun: round,
        stop: 'fixpoint',
        detail: 'a round changed nothing',
        connections,
        pointers,
        knownFraction: total / (n * full),
        engine: 'fast',
      };
    }
  }
  return { rounds: null, roundsRun: opts.maxRounds, stop: 'cap', connections, pointers, knownFraction: total / (n * full), engine: 'fast' };
}
