/*
 * Flooding (the paper's first baseline): a node only ever talks to its initial neighbours. In
 * round 1 it sends them everything it knows (itself and its initial neighbours); afterwards it
 * sends them only the ids it learnt in the previous round. A connection is counted only when
 * there is something to send.
 *
 * Ids travel only along initial edges, forwards, so u learns v exactly when v reaches u in the
 * initial graph: time is the (directed) diameter, and complete knowledge needs the initial graph
 * to be strongly connected. On a directed path or star, or the random one-link-out graph, it
 * stalls; the run stops at the first round that changes nothing (it is deterministic, so
 * nothing will ever change again) and reports the fraction of pairs it got to.
 */
import type { Topology } from '../topologies.js';
import { Knowledge } from './knowledge.js';
import type { RunOptions, RunResult } from './types.js';

export function runFlooding(topology: Topology, _rng: () => number, opts: RunOptions): RunResult {
  const n = topology.n;
  const k = Knowledge.fromTopology(topology, false);
  // Two generations of per-node "learnt last round" lists, reused: a ring at n = 10 000 floods
  // for ~n rounds, and fresh arrays each round would be 10⁸ allocations.
  let delta: number[][] = topology.out.map((list, v) => [v, ...list]);
  let next: number[][] = Array.from({ length: n }, () => []);
  let connections = 0;
  let pointers = 0;

  for (let round = 1; round <= opts.maxRounds; round++) {
    for (const list of next) list.length = 0;
    let changed = false;
    for (let v = 0; v < n; v++) {
      const d = delta[v] ?? [];
      if (d.length === 0) continue;
      for (const u of topology.out[v] ?? []) {
        connections++;
        pointers += d.length;
        const learnt = next[u] ?? [];
        for (const x of d) {
          if (k.add(u, x)) {
            learnt.push(x);
            changed = true;
          }
        }
      }
    }
    [delta, next] = [next, delta];
    if (k.complete()) {
      return { rounds: round, roundsRun: round, stop: 'complete', connections, pointers, knownFraction: 1, engine: 'fast' };
    }
    if (!changed) {
      return {
        rounds: null,
        roundsRun: round,
        stop: 'fixpoint',
        detail: 'ids only flow forwards along initial edges; the initial graph is not strongly connected',
        connections,
        pointers,
        knownFraction: k.knownFraction(),
        engine: 'fast',
      };
    }
  }
  return { rounds: null, roundsRun: opts.maxRounds, stop: 'cap', connections, pointers, knownFraction: k.knownFraction(), engine: 'fast' };
}
