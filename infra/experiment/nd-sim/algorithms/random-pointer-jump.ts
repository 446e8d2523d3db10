/*
 * Random Pointer Jump (the paper's third baseline): every round, every node v contacts one node u
 * chosen uniformly from the nodes it knows, and u replies with everything it knows; v takes the
 * union. Information only moves against the direction of edges (v pulls from nodes it already
 * knows), so Γ(v) never leaves the set of nodes reachable from v in the initial graph: complete
 * knowledge needs a strongly connected start. On a directed path the last node knows nobody and
 * never will; on a directed star the hub never learns anything either.
 *
 * With back edge (the paper's variant), u also learns v from the contact, which lets knowledge
 * flow both ways and so works from any weakly connected start.
 *
 * A pull-only run from a start that is not strongly connected stops, as 'impossible', at the
 * first round that changes nothing; otherwise runs go to completion or the round cap.
 */
import type { Topology } from '../topologies.js';
import { Knowledge } from './knowledge.js';
import type { RunOptions, RunResult } from './types.js';

export function runRandomPointerJump(
  topology: Topology,
  rng: () => number,
  opts: RunOptions,
  backEdge: boolean,
): RunResult {
  const n = topology.n;
  const k = Knowledge.fromTopology(topology);
  const { bits, list, len, words } = k;
  const targets = new Int32Array(n);
  const unreachable = !backEdge && !topology.stronglyConnected;
  let connections = 0;
  let pointers = 0;

  for (let round = 1; round <= opts.maxRounds; round++) {
    const before = k.total;
    const lenAtStart = k.snapshotLengths();
    for (let v = 0; v < n; v++) {
      const l = lenAtStart[v] ?? 0;
      targets[v] = l === 0 ? -1 : (list[v * n + Math.min(l - 1, Math.floor(rng() * l))] ?? -1);
    }
    for (let v = 0; v < n; v++) {
      const u = targets[v] ?? -1;
      if (u < 0) continue;
      const l = lenAtStart[u] ?? 0;
      connections++;
      pointers += l + (backEdge ? 1 : 0);
      // Inlined Knowledge.add of u's start-of-round set into v's.
      const vBits = v * words;
      const vList = v * n;
      let vLen = len[v] ?? 0;
      const from = u * n;
      for (let i = 0; i < l; i++) {
        const x = list[from + i] ?? 0;
        if (x === v) continue;
        const w = vBits + (x >>> 5);
        const bit = 1 << (x & 31);
        const old = bits[w] ?? 0;
        if ((old & bit) === 0) {
          bits[w] = old | bit;
          list[vList + vLen] = x;
          vLen++;
        }
      }
      k.total += vLen - (len[v] ?? 0);
      len[v] = vLen;
      if (backEdge) k.add(u, v);
    }
    if (k.complete()) {
      return { rounds: round, roundsRun: round, stop: 'complete', connections, pointers, knownFraction: 1, engine: 'fast' };
    }
    if (unreachable && k.total === before) {
      return {
        rounds: null,
        roundsRun: round,
        stop: 'impossible',
        detail: 'pull-only and the initial graph is not strongly connected',
        connections,
        pointers,
        knownFraction: k.knownFraction(),
        engine: 'fast',
      };
    }
  }
  return { rounds: null, roundsRun: opts.maxRounds, stop: 'cap', connections, pointers, knownFraction: k.knownFraction(), engine: 'fast' };
}
