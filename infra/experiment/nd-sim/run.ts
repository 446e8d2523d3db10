/*
 * Runs every (algorithm, topology, n) cell for a number of seeded trials and summarises them.
 *
 * Seeds are derived per cell and trial (deriveSeed), so a cell's numbers do not depend on which
 * other cells were requested, and within a trial every algorithm starts from the same random
 * graph. A deterministic algorithm (flooding, swamping) on a fixed topology (path, ring, star)
 * would repeat the same run in every trial, so it is run once and reported with trials = 1.
 */
import { createPrng, deriveSeed, rngFunction } from '../common/prng.js';
import { describe, type Description } from '../stats/summary.js';
import {
  isRandomized,
  runAlgorithm,
  usesCore,
  type AlgorithmName,
  type Engine,
  type RunResult,
  type StopReason,
} from './algorithms/index.js';
import { buildTopology, isDeterministicTopology, type TopologyName } from './topologies.js';
import { verifyFastEngine, type Verification } from './verify.js';

export interface NdSimOptions {
  readonly ns: readonly number[];
  readonly topologies: readonly TopologyName[];
  readonly algorithms: readonly AlgorithmName[];
  readonly trials: number;
  readonly seed: number;
  /** Round cap per run; undefined = max(1000, 2n), enough for flooding around a ring. */
  readonly maxRounds?: number | undefined;
  readonly engine: Engine;
  /** With engine 'auto', Name Dropper runs through the real core up to this n. */
  readonly coreMaxN: number;
  readonly undirected: boolean;
  /** Called with one line per finished cell (the CLI prints these on stderr). */
  readonly onProgress?: ((line: string) => void) | undefined;
}

export const DEFAULT_ND_SIM_OPTIONS: Omit<NdSimOptions, 'onProgress'> = {
  ns: [16, 64, 256, 1024, 4096, 10000],
  topologies: ['path', 'ring', 'star', 'random'],
  algorithms: ['name-dropper', 'flooding', 'swamping', 'random-pointer-jump'],
  trials: 5,
  seed: 1,
  maxRounds: undefined,
  engine: 'auto',
  coreMaxN: 2048,
  undirected: false,
};

export interface TrialResult extends RunResult {
  readonly trial: number;
  /** Random topology only: links redirected to make the graph weakly connected. */
  readonly patchedLinks: number;
  readonly elapsedMs: number;
}

export interface CellSummary {
  /** Trials that reached complete knowledge. */
  readonly converged: number;
  /** Over converged trials; null when none converged. */
  readonly rounds: Description | null;
  readonly connections: Description;
  readonly pointers: Description;
  readonly knownFraction: Description;
  readonly stops: Partial<Record<StopReason, number>>;
  readonly engines: readonly ('core' | 'fast')[];
}

export interface CellResult {
  readonly algorithm: AlgorithmName;
  readonly topology: TopologyName;
  readonly n: number;
  readonly log2n: number;
  readonly log2nSquared: number;
  readonly maxRounds: number;
  readonly trials: readonly TrialResult[];
  readonly summary: CellSummary;
  readonly elapsedMs: number;
}

export interface NdSimReport {
  readonly options: Omit<NdSimOptions, 'onProgress'>;
  /** Set when the fast Name Dropper engine was used: the check that it replays the core. */
  readonly verification: Verification | null;
  readonly cells: readonly CellResult[];
  readonly elapsedMs: number;
}

export function defaultMaxRounds(n: number): number {
  return Math.max(1000, 2 * n);
}

export function runNdSim(options: NdSimOptions): NdSimReport {
  const started = performance.now();
  const { onProgress, ...opts } = options;
  const fastNeeded =
    opts.algorithms.includes('name-dropper') && opts.ns.some((n) => !usesCore('name-dropper', n, opts));
  const verification = fastNeeded ? verifyFastEngine(opts.topologies, opts.undirected, opts.seed) : null;
  if (verification !== null) {
    onProgress?.(`fast Name Dropper engine replays the core exactly on ${verification.cases} runs at n=${verification.n}`);
  }

  const cells: CellResult[] = [];
  for (const n of opts.ns) {
    for (const topologyName of opts.topologies) {
      for (const algorithm of opts.algorithms) {
        const cell = runCell(algorithm, topologyName, n, opts);
        cells.push(cell);
        onProgress?.(progressLine(cell));
      }
    }
  }
  return { options: opts, verification, cells, elapsedMs: performance.now() - started };
}

function runCell(
  algorithm: AlgorithmName,
  topologyName: TopologyName,
  n: number,
  opts: Omit<NdSimOptions, 'onProgress'>,
): CellResult {
  const started = performance.now();
  const maxRounds = opts.maxRounds ?? defaultMaxRounds(n);
  const trialCount = !isRandomized(algorithm) && isDeterministicTopology(topologyName) ? 1 : opts.trials;
  const trials: TrialResult[] = [];
  for (let trial = 0; trial < trialCount; trial++) {
    const topology = buildTopology(
      topologyName,
      n,
      opts.undirected,
      createPrng(deriveSeed(opts.seed, 'topology', topologyName, n, opts.undirected ? 'undirected' : 'directed', trial)),
    );
    const rng = rngFunction(createPrng(deriveSeed(opts.seed, 'algorithm', algorithm, topologyName, n, trial)));
    const t0 = performance.now();
    const result = runAlgorithm(algorithm, topology, rng, { maxRounds, engine: opts.engine, coreMaxN: opts.coreMaxN });
    trials.push({ ...result, trial, patchedLinks: topology.patchedLinks, elapsedMs: performance.now() - t0 });
  }
  const log2n = Math.log2(n);
  return {
    algorithm,
    topology: topologyName,
    n,
    log2n,
    log2nSquared: log2n * log2n,
    maxRounds,
    trials,
    summary: summarise(trials),
    elapsedMs: performance.now() - started,
  };
}

function summarise(trials: readonly TrialResult[]): CellSummary {
  const rounds = trials.flatMap((t) => (t.rounds === null ? [] : [t.rounds]));
  const stops: Partial<Record<StopReason, number>> = {};
  for (const t of trials) stops[t.stop] = (stops[t.stop] ?? 0) + 1;
  return {
    converged: rounds.length,
    rounds: rounds.length > 0 ? describe(rounds) : null,
    connections: describe(trials.map((t) => t.connections)),
    pointers: describe(trials.map((t) => t.pointers)),
    knownFraction: describe(trials.map((t) => t.knownFraction)),
    stops,
    engines: [...new Set(trials.map((t) => t.engine))],
  };
}

function progressLine(c: CellResult): string {
  const s = c.summary;
  const rounds = s.rounds === null ? 'never' : `${s.rounds.mean.toFixed(1)} rounds`;
  return `${c.algorithm} ${c.topology} n=${c.n}: ${rounds} (${s.converged}/${c.trials.length} converged) in ${(c.elapsedMs / 1000).toFixed(1)} s`;
}
