/*
 * Name Dropper through the real daemon core (daemon/discovery/name-dropper.ts), one instance per
 * node, with records that carry nothing but the ordering fields. Every node refreshes its own
 * record each round (version = round), as the daemon does, so merges exercise the newer-wins path
 * too. Failure detection is switched off by thresholds far beyond any run: a node that is merely
 * far away on a 10 000-node path must not be declared dead during discovery.
 */
import { NameDropper, type GossipEntry, type NameDropperOptions, type NdRecord } from '../../../../daemon/discovery/name-dropper.js';
import type { Topology } from '../topologies.js';
import type { RunOptions, RunResult } from './types.js';

/** One simulated round in local-clock ms; any positive value gives the same trajectory. */
const ROUND_MS = 1000;
const NEVER: NameDropperOptions = { staleAfterMs: 1e15, deadAfterMs: 2e15, forgetAfterMs: 3e15 };

export function hostName(v: number): string {
  return `h${v}`;
}

export function runNameDropperCore(topology: Topology, rng: () => number, opts: RunOptions): RunResult {
  const n = topology.n;
  let now = 0;
  const clock = (): number => now;
  const names = Array.from({ length: n }, (_, v) => hostName(v));
  const index = new Map<string, number>(names.map((h, v) => [h, v]));
  const initial: NdRecord[] = names.map((host) => ({ host, incarnation: 1, version: 0 }));
  const nodes = initial.map((self) => new NameDropper<NdRecord>(self, NEVER, clock, rng));
  topology.out.forEach((list, v) => {
    const seed = list.map((u): GossipEntry<NdRecord> => ({ record: initial[u] as NdRecord, ageMs: 0 }));
    nodes[v]?.merge(seed);
  });

  let connections = 0;
  let pointers = 0;
  const targets = new Int32Array(n);
  // Messages are built lazily, which is still the synchronous model: outgoing() reads only the
  // node's state and the clock, and both are as at the start of the round until the node first
  // receives. So a node's message is built at its turn to send, or just before its first
  // delivery if that comes earlier. Holding all n messages (n² entry objects) at once instead
  // made garbage collection the main cost at n ≥ 1024.
  const stashed: (GossipEntry<NdRecord>[] | undefined)[] = new Array<GossipEntry<NdRecord>[] | undefined>(n);
  const touched = new Uint8Array(n);
  const knownPairs = (): number => nodes.reduce((s, nd) => s + nd.known(), 0);

  for (let round = 1; round <= opts.maxRounds; round++) {
    now = round * ROUND_MS;
    // Sending phase: refresh and choose targets in node order (the rng is consumed in this order).
    for (let v = 0; v < n; v++) {
      const nd = nodes[v] as NameDropper<NdRecord>;
      nd.setSelf({ host: nd.selfHost, incarnation: 1, version: round });
      const target = nd.pickTarget();
      targets[v] = target === undefined ? -1 : (index.get(target) ?? -1);
    }
    touched.fill(0);
    // Delivery phase, in sender order.
    for (let v = 0; v < n; v++) {
      const t = targets[v] ?? -1;
      if (t < 0) continue;
      const msg = stashed[v] ?? (nodes[v] as NameDropper<NdRecord>).outgoing();
      stashed[v] = undefined;
      if (t > v && touched[t] === 0 && (targets[t] ?? -1) >= 0) stashed[t] = (nodes[t] as NameDropper<NdRecord>).outgoing();
      touched[t] = 1;
      connections++;
      pointers += msg.length;
      nodes[t]?.merge(msg);
    }
    if (nodes.every((nd) => nd.known() === n - 1)) {
      return { rounds: round, roundsRun: round, stop: 'complete', connections, pointers, knownFraction: 1, engine: 'core' };
    }
  }
  return {
    rounds: null,
    roundsRun: opts.maxRounds,
    stop: 'cap',
    connections,
    pointers,
    knownFraction: knownPairs() / (n * (n - 1)),
    engine: 'core',
  };
}
