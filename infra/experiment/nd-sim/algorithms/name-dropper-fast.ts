/*
 * Name Dropper on flat typed arrays, for n where one core object per (node, known host) no longer
 * fits in memory (n² = 10⁸ entries at n = 10 000).
 *
 * It replays the core engine exactly, not just statistically: with the same rng it picks the same
 * targets and produces the same rounds, connections and pointers. That holds because it mirrors
 * every order the core depends on: the core keeps known hosts in insertion order (no removals
 * happen in a simulation), picks index floor(rng()·len) into that order with one rng call per
 * node that knows anyone, sends self first and then its hosts in that order, and receivers merge
 * in sender order, appending hosts they did not know. The equivalence is checked by the unit
 * tests and, whenever this engine is used, by a self-check at the start of runNdSim.
 */
import type { Topology } from '../topologies.js';
import { Knowledge } from './knowledge.js';
import type { RunOptions, RunResult } from './types.js';

export function runNameDropperFast(topology: Topology, rng: () => number, opts: RunOptions): RunResult {
  const n = topology.n;
  const k = Knowledge.fromTopology(topology);
  const { bits, list, len, words } = k;
  const targets = new Int32Array(n);
  let connections = 0;
  let pointers = 0;

  for (let round = 1; round <= opts.maxRounds; round++) {
    const lenAtStart = k.snapshotLengths();
    for (let v = 0; v < n; v++) {
      const l = lenAtStart[v] ?? 0;
      targets[v] = l === 0 ? -1 : (list[v * n + Math.min(l - 1, Math.floor(rng() * l))] ?? -1);
    }
    for (let v = 0; v < n; v++) {
      const t = targets[v] ?? -1;
      if (t < 0) continue;
      const l = lenAtStart[v] ?? 0;
      connections++;
      pointers += l + 1;
      k.add(t, v);
      // Inlined Knowledge.add: this loop is where all the time goes.
      const tBits = t * words;
      const tList = t * n;
      let tLen = len[t] ?? 0;
      const from = v * n;
      for (let i = 0; i < l; i++) {
        const x = list[from + i] ?? 0;
        if (x === t) continue;
        const w = tBits + (x >>> 5);
        const bit = 1 << (x & 31);
        const old = bits[w] ?? 0;
        if ((old & bit) === 0) {
          bits[w] = old | bit;
          list[tList + tLen] = x;
          tLen++;
        }
      }
      k.total += tLen - (len[t] ?? 0);
      len[t] = tLen;
    }
    if (k.complete()) {
      return { rounds: round, roundsRun: round, stop: 'complete', connections, pointers, knownFraction: 1, engine: 'fast' };
    }
  }
  return { rounds: null, roundsRun: opts.maxRounds, stop: 'cap', connections, pointers, knownFraction: k.knownFraction(), engine: 'fast' };
}
