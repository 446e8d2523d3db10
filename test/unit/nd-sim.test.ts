import { describe, expect, it } from 'vitest';
import { createPrng, deriveSeed, prngFromState, rngFunction } from '../../infra/experiment/common/prng.js';
import { runAlgorithm } from '../../infra/experiment/nd-sim/algorithms/index.js';
import { runNameDropperCore } from '../../infra/experiment/nd-sim/algorithms/name-dropper-core.js';
import { runNameDropperFast } from '../../infra/experiment/nd-sim/algorithms/name-dropper-fast.js';
import { NdSimUsageError } from '../../infra/experiment/nd-sim/errors.js';
import {
  ALGORITHM_NAMES,
  DEFAULT_ND_SIM_OPTIONS,
  TOPOLOGY_NAMES,
  buildTopology,
  formatJson,
  formatMarkdown,
  formatTable,
  parseNdSimFlags,
  runNdSim,
  verifyFastEngine,
  type AlgorithmName,
  type TopologyName,
} from '../../infra/experiment/nd-sim/index.js';
import { isWeaklyConnected, weakComponents } from '../../infra/experiment/nd-sim/topologies.js';

describe('prng (xoshiro128**)', () => {
  it('matches the reference C implementation from state {1, 2, 3, 4}', () => {
    const p = prngFromState(1, 2, 3, 4);
    expect(Array.from({ length: 6 }, () => p.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('is reproducible from a seed and different across seeds and labels', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const xs = Array.from({ length: 8 }, () => a.next());
    expect(Array.from({ length: 8 }, () => b.next())).toEqual(xs);
    expect(createPrng(43).next()).not.toBe(xs[0]);
    expect(deriveSeed(1, 'topology', 'random', 64, 0)).not.toBe(deriveSeed(1, 'topology', 'random', 64, 1));
    expect(deriveSeed(1, 'a', 'bc')).not.toBe(deriveSeed(1, 'ab', 'c'));
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('draws bounded integers in range', () => {
    const p = createPrng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const k = p.int(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
      seen.add(k);
    }
    expect(seen.size).toBe(7);
    expect(() => p.int(0)).toThrow(RangeError);
  });
});

describe('topologies', () => {
  it('builds the directed path, ring and star', () => {
    const p = createPrng(1);
    expect(buildTopology('path', 4, false, p).out).toEqual([[1], [2], [3], []]);
    expect(buildTopology('ring', 4, false, p).out).toEqual([[1], [2], [3], [0]]);
    expect(buildTopology('star', 4, false, p).out).toEqual([[], [0], [0], [0]]);
    expect(buildTopology('path', 3, true, p).out).toEqual([[1], [2, 0], [1]]);
    expect(buildTopology('ring', 5, false, p).stronglyConnected).toBe(true);
    expect(buildTopology('path', 5, false, p).stronglyConnected).toBe(false);
  });

  it('makes the one-random-link-out graph weakly connected by redirecting cycle links', () => {
    let patched = 0;
    for (const n of [2, 3, 16, 100, 1000, 5000]) {
      for (let trial = 0; trial < 5; trial++) {
        const t = buildTopology('random', n, false, createPrng(deriveSeed(9, n, trial)));
        expect(isWeaklyConnected(t.out)).toBe(true);
        expect(new Set(weakComponents(t.out)).size).toBe(1);
        t.out.forEach((list, v) => {
          expect(list).toHaveLength(1);
          expect(list[0]).not.toBe(v);
        });
        patched += t.patchedLinks;
      }
    }
    // Unpatched, such graphs are almost never connected at these sizes.
    expect(patched).toBeGreaterThan(10);
  });
});

describe('fast Name Dropper engine', () => {
  it('replays the real core exactly (rounds, connections, pointers) on every topology', () => {
    for (const undirected of [false, true]) {
      const v = verifyFastEngine(TOPOLOGY_NAMES, undirected, 5, 128);
      expect(v.identical).toBe(true);
      expect(v.cases).toBe(8);
    }
  });

  it('replays the core on odd sizes too', () => {
    for (const n of [2, 3, 33, 200]) {
      const t = buildTopology('random', n, false, createPrng(n));
      const core = runNameDropperCore(t, rngFunction(createPrng(77)), { maxRounds: 500 });
      const fast = runNameDropperFast(t, rngFunction(createPrng(77)), { maxRounds: 500 });
      expect({ ...fast, engine: 'core' }).toEqual(core);
    }
  });
});

describe('convergence at small n', () => {
  const n = 64;
  const run = (alg: AlgorithmName, topo: TopologyName) =>
    runAlgorithm(alg, buildTopology(topo, n, false, createPrng(deriveSeed(2, topo))), rngFunction(createPrng(deriveSeed(2, alg, topo))), {
      maxRounds: 10 * n,
      engine: 'core',
      coreMaxN: n,
    });

  it('Name Dropper, swamping and pointer jump with back edge reach complete knowledge from every start', () => {
    for (const topo of TOPOLOGY_NAMES) {
      for (const alg of ['name-dropper', 'swamping', 'random-pointer-jump-back-edge'] as const) {
        const r = run(alg, topo);
        expect(r.stop, `${alg} on ${topo}`).toBe('complete');
        expect(r.knownFraction).toBe(1);
        expect(r.rounds).toBe(r.roundsRun);
      }
    }
    expect(run('name-dropper', 'path').engine).toBe('core');
  });

  it('flooding and pull-only pointer jump need a strongly connected start, and stop instead of looping', () => {
    for (const topo of TOPOLOGY_NAMES) {
      const flood = run('flooding', topo);
      const rpj = run('random-pointer-jump', topo);
      if (topo === 'ring') {
        expect(flood.stop).toBe('complete');
        expect(flood.rounds).toBe(n - 2); // v+1 is known from the start; v−k arrives in round k
        expect(rpj.stop).toBe('complete');
      } else {
        expect(flood.stop).toBe('fixpoint');
        expect(flood.rounds).toBeNull();
        expect(rpj.stop).toBe('impossible');
        expect(rpj.knownFraction).toBeLessThan(1);
      }
    }
    // On the directed path pointer jump gets exactly the transitive closure: half the pairs.
    expect(run('random-pointer-jump', 'path').knownFraction).toBe(0.5);
  });

  it('reports the round cap rather than running forever', () => {
    const t = buildTopology('ring', 32, false, createPrng(1));
    const r = runAlgorithm('flooding', t, () => 0.5, { maxRounds: 5, engine: 'auto', coreMaxN: 0 });
    expect(r).toMatchObject({ stop: 'cap', rounds: null, roundsRun: 5 });
    expect(r.knownFraction).toBeLessThan(1);
  });

  it('counts swamping exactly on a small star', () => {
    // Round 1: leaves (know {0}) each send {leaf, 0} to 0: 3 connections, 6 pointers; 0 learns all.
    // Round 2: 0 sends 4 ids to 3 leaves, leaves send 2 to 0 again: 3 + 3 connections, 12 + 6 pointers.
    const r = runAlgorithm('swamping', buildTopology('star', 4, false, createPrng(1)), () => 0, {
      maxRounds: 10,
      engine: 'auto',
      coreMaxN: 0,
    });
    expect(r).toMatchObject({ rounds: 2, connections: 9, pointers: 24 });
  });
});

describe('acceptance', () => {
  it(
    'n = 1024 on a path: mean Name Dropper rounds ≤ (log₂ n)² = 100, reported alongside the baselines',
    () => {
      const report = runNdSim({
        ...DEFAULT_ND_SIM_OPTIONS,
        ns: [1024],
        topologies: ['path'],
        algorithms: ['name-dropper', 'flooding', 'swamping', 'random-pointer-jump'],
        trials: 5,
        seed: 1,
      });
      const nd = report.cells.find((c) => c.algorithm === 'name-dropper');
      expect(nd?.trials).toHaveLength(5);
      expect(nd?.summary.converged).toBe(5);
      expect(nd?.summary.engines).toEqual(['core']);
      expect(nd?.log2nSquared).toBe(100);
      expect(nd?.summary.rounds?.mean ?? Infinity).toBeLessThanOrEqual(100);
      const baselines = report.cells.filter((c) => c.algorithm !== 'name-dropper');
      expect(baselines.map((c) => c.algorithm)).toEqual(['flooding', 'swamping', 'random-pointer-jump']);
      for (const b of baselines) expect(b.trials.length).toBeGreaterThan(0);
      const table = formatTable(report);
      for (const alg of ['name-dropper', 'flooding', 'swamping', 'random-pointer-jump']) expect(table).toContain(alg);
      expect(report.verification).toBeNull();
    },
    180_000,
  );
});

describe('runNdSim and its CLI surface', () => {
  it('reproduces a run from its seed and runs deterministic cells once', () => {
    const opts = { ...DEFAULT_ND_SIM_OPTIONS, ns: [32], trials: 3, algorithms: [...ALGORITHM_NAMES], engine: 'fast' as const };
    const a = runNdSim(opts);
    const b = runNdSim(opts);
    const strip = (r: typeof a) => r.cells.map((c) => c.trials.map(({ elapsedMs: _e, ...t }) => t));
    expect(strip(a)).toEqual(strip(b));
    expect(a.verification?.identical).toBe(true);
    const flooding = a.cells.filter((c) => c.algorithm === 'flooding');
    expect(flooding.map((c) => [c.topology, c.trials.length])).toEqual([
      ['path', 1],
      ['ring', 1],
      ['star', 1],
      ['random', 3],
    ]);
    expect(JSON.parse(formatJson(a)).cells).toHaveLength(TOPOLOGY_NAMES.length * ALGORITHM_NAMES.length);
    expect(formatMarkdown(a).split('\n')[1]).toMatch(/^\| --- \| --- \| ---: \|/);
  });

  it('parses and validates flags', () => {
    const base = {
      n: '16,64',
      topologies: 'path,ring',
      algorithms: 'name-dropper,swamping',
      trials: '5',
      seed: '1',
      engine: 'auto',
      coreMaxN: '2048',
      undirected: false,
      json: false,
      markdown: false,
      quiet: true,
    };
    const flags = parseNdSimFlags(base);
    expect(flags).toMatchObject({ n: [16, 64], topologies: ['path', 'ring'], trials: 5 });
    expect(flags.maxRounds).toBeUndefined();
    expect(parseNdSimFlags({ ...base, maxRounds: '40' }).maxRounds).toBe(40);
    expect(() => parseNdSimFlags({ ...base, n: '1' })).toThrow(NdSimUsageError);
    expect(() => parseNdSimFlags({ ...base, n: '16,abc' })).toThrow(NdSimUsageError);
    expect(() => parseNdSimFlags({ ...base, topologies: 'torus' })).toThrow(NdSimUsageError);
    expect(() => parseNdSimFlags({ ...base, trials: '0' })).toThrow(NdSimUsageError);
    expect(() => parseNdSimFlags({ ...base, json: true, markdown: true })).toThrow(NdSimUsageError);
  });
});
