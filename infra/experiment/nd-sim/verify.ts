/*
 * The fast Name Dropper engine is only used because it replays the real core exactly. This
 * checks that claim on the spot, on small instances of the topologies being run, before any of
 * its numbers are reported.
 */
import { createPrng, deriveSeed, rngFunction } from '../common/prng.js';
import { runNameDropperCore } from './algorithms/name-dropper-core.js';
import { runNameDropperFast } from './algorithms/name-dropper-fast.js';
import type { RunResult } from './algorithms/types.js';
import { NdSimEngineMismatchError } from './errors.js';
import { buildTopology, type TopologyName } from './topologies.js';

export interface Verification {
  readonly n: number;
  readonly cases: number;
  readonly identical: true;
  readonly elapsedMs: number;
}

const VERIFY_N = 256;
const VERIFY_TRIALS = 2;

function sameTrajectory(a: RunResult, b: RunResult): boolean {
  return (
    a.rounds === b.rounds &&
    a.roundsRun === b.roundsRun &&
    a.stop === b.stop &&
    a.connections === b.connections &&
    a.pointers === b.pointers &&
    a.knownFraction === b.knownFraction
  );
}

export function verifyFastEngine(
  topologies: readonly TopologyName[],
  undirected: boolean,
  seed: number,
  n = VERIFY_N,
): Verification {
  const started = performance.now();
  let cases = 0;
  for (const name of topologies) {
    for (let trial = 0; trial < VERIFY_TRIALS; trial++) {
      const topology = buildTopology(name, n, undirected, createPrng(deriveSeed(seed, 'verify-topology', name, n, trial)));
      const rngSeed = deriveSeed(seed, 'verify', name, n, trial);
      const opts = { maxRounds: 10 * n };
      const core = runNameDropperCore(topology, rngFunction(createPrng(rngSeed)), opts);
      const fast = runNameDropperFast(topology, rngFunction(createPrng(rngSeed)), opts);
      cases++;
      if (!sameTrajectory(core, fast)) {
        throw new NdSimEngineMismatchError(`fast Name Dropper engine diverged from the core on ${name}, n=${n}, trial ${trial}`, {
          hint: 'run with --engine core, and report this as a bug',
          context: { topology: name, n, trial, coreRounds: core.rounds ?? -1, fastRounds: fast.rounds ?? -1 },
        });
      }
    }
  }
  return { n, cases, identical: true, elapsedMs: performance.now() - started };
}
