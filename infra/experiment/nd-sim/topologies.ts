/*
 * Initial knowledge graphs. Node v knowing node u is the directed edge v → u, as in the paper; a
 * run must start weakly connected, otherwise complete knowledge is impossible for every algorithm.
 *
 *   path    v → v+1                     (the paper's hard case: one host knows the next)
 *   ring    v → v+1 mod n
 *   star    leaf → 0                    (every host is configured with the same seed host)
 *   random  v → one uniformly random other node, then patched to be weakly connected
 *
 * With `undirected`, every edge also gets its reverse (both ends know each other).
 */
import type { Prng } from '../common/prng.js';

export const TOPOLOGY_NAMES = ['path', 'ring', 'star', 'random'] as const;
export type TopologyName = (typeof TOPOLOGY_NAMES)[number];

export interface Topology {
  readonly name: TopologyName;
  readonly n: number;
  readonly undirected: boolean;
  /** out[v] = the nodes v knows initially, in a fixed order (the order they are seeded in). */
  readonly out: readonly (readonly number[])[];
  /** Random graph only: links redirected to make it weakly connected (0 for the others). */
  readonly patchedLinks: number;
  readonly stronglyConnected: boolean;
}

/** Whether the topology is the same graph in every trial. */
export function isDeterministicTopology(name: TopologyName): boolean {
  return name !== 'random';
}

export function buildTopology(name: TopologyName, n: number, undirected: boolean, prng: Prng): Topology {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`n must be an integer >= 2, got ${n}`);
  let out: number[][];
  let patchedLinks = 0;
  switch (name) {
    case 'path':
      out = Array.from({ length: n }, (_, v) => (v + 1 < n ? [v + 1] : []));
      break;
    case 'ring':
      out = Array.from({ length: n }, (_, v) => [(v + 1) % n]);
      break;
    case 'star':
      out = Array.from({ length: n }, (_, v) => (v === 0 ? [] : [0]));
      break;
    case 'random': {
      const link = new Int32Array(n);
      for (let v = 0; v < n; v++) {
        const j = prng.int(n - 1);
        link[v] = j >= v ? j + 1 : j;
      }
      patchedLinks = connectFunctionalGraph(link, prng);
      out = Array.from(link, (u) => [u]);
      break;
    }
  }
  if (undirected) out = addReverseEdges(out);
  const topology = { name, n, undirected, out, patchedLinks, stronglyConnected: isStronglyConnected(out) };
  if (!isWeaklyConnected(out)) throw new Error(`bug: ${name} topology with n=${n} is not weakly connected`);
  return topology;
}

/**
 * A random graph with one link out per node is a functional graph: each weak component holds
 * exactly one cycle, and for large n it is almost never connected (≈ ½·ln n components), so
 * regenerating until connected would not terminate in practice. Instead, for every component but
 * the first, the link of one node on its cycle is redirected to a uniformly random node of the
 * components already joined. Every node keeps exactly one random link out, and the graph becomes
 * weakly connected with a single cycle. Returns how many links were redirected.
 */
function connectFunctionalGraph(link: Int32Array, prng: Prng): number {
  const n = link.length;
  const comp = weakComponents(Array.from(link, (u) => [u]));
  const members = new Map<number, number[]>();
  for (let v = 0; v < n; v++) {
    const c = comp[v] ?? 0;
    const list = members.get(c);
    if (list === undefined) members.set(c, [v]);
    else list.push(v);
  }
  const groups = [...members.values()];
  if (groups.length <= 1) return 0;
  const joined: number[] = [...(groups[0] ?? [])];
  for (let g = 1; g < groups.length; g++) {
    const group = groups[g] ?? [];
    const cycleNode = nodeOnCycle(link, group[0] ?? 0);
    link[cycleNode] = joined[prng.int(joined.length)] ?? 0;
    joined.push(...group);
  }
  return groups.length - 1;
}

/** Following links from any node of a functional graph ends in its component's cycle. */
function nodeOnCycle(link: Int32Array, start: number): number {
  const seen = new Set<number>();
  let v = start;
  while (!seen.has(v)) {
    seen.add(v);
    v = link[v] ?? v;
  }
  return v;
}

function addReverseEdges(out: readonly (readonly number[])[]): number[][] {
  const both = out.map((list) => [...list]);
  const has = out.map((list) => new Set(list));
  out.forEach((list, v) => {
    for (const u of list) {
      const back = has[u];
      if (back !== undefined && !back.has(v)) {
        back.add(v);
        both[u]?.push(v);
      }
    }
  });
  return both;
}

/** Component label per node, ignoring edge direction (union-find with path halving). */
export function weakComponents(out: readonly (readonly number[])[]): Int32Array {
  const n = out.length;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    let r = x;
    while ((parent[r] ?? r) !== r) {
      const p = parent[r] ?? r;
      parent[r] = parent[p] ?? p;
      r = parent[r] ?? r;
    }
    return r;
  };
  out.forEach((list, v) => {
    for (const u of list) {
      const a = find(v);
      const b = find(u);
      if (a !== b) parent[a] = b;
    }
  });
  return Int32Array.from({ length: n }, (_, v) => find(v));
}

export function isWeaklyConnected(out: readonly (readonly number[])[]): boolean {
  const comp = weakComponents(out);
  return comp.every((c) => c === comp[0]);
}

/** Every node reaches node 0 and node 0 reaches every node. */
export function isStronglyConnected(out: readonly (readonly number[])[]): boolean {
  const n = out.length;
  const reverse: number[][] = Array.from({ length: n }, () => []);
  out.forEach((list, v) => {
    for (const u of list) reverse[u]?.push(v);
  });
  return reachesAll(out) && reachesAll(reverse);
}

function reachesAll(adj: readonly (readonly number[])[]): boolean {
  const seen = new Uint8Array(adj.length);
  const stack = [0];
  seen[0] = 1;
  let count = 1;
  while (stack.length > 0) {
    const v = stack.pop() ?? 0;
    for (const u of adj[v] ?? []) {
      if (seen[u] === 0) {
        seen[u] = 1;
        count++;
        stack.push(u);
      }
    }
  }
  return count === adj.length;
}
