import type { Topology } from '../topologies.js';
import { runFlooding } from './flooding.js';
import { runNameDropperCore } from './name-dropper-core.js';
import { runNameDropperFast } from './name-dropper-fast.js';
import { runRandomPointerJump } from './random-pointer-jump.js';
import { runSwamping } from './swamping.js';
import type { AlgorithmName, RunOptions, RunResult } from './types.js';

export { ALGORITHM_NAMES, type AlgorithmName, type RunResult, type StopReason } from './types.js';

/** Which Name Dropper implementation to use; 'auto' = the real core up to coreMaxN, fast beyond. */
export type Engine = 'core' | 'fast' | 'auto';

export interface AlgorithmRunOptions extends RunOptions {
  readonly engine: Engine;
  readonly coreMaxN: number;
}

/** Whether the algorithm draws random numbers (and so needs trials even on a fixed topology). */
export function isRandomized(name: AlgorithmName): boolean {
  return name !== 'flooding' && name !== 'swamping';
}

export function usesCore(name: AlgorithmName, n: number, opts: Pick<AlgorithmRunOptions, 'engine' | 'coreMaxN'>): boolean {
  return name === 'name-dropper' && (opts.engine === 'core' || (opts.engine === 'auto' && n <= opts.coreMaxN));
}

export function runAlgorithm(name: AlgorithmName, topology: Topology, rng: () => number, opts: AlgorithmRunOptions): RunResult {
  switch (name) {
    case 'name-dropper':
      return usesCore(name, topology.n, opts) ? runNameDropperCore(topology, rng, opts) : runNameDropperFast(topology, rng, opts);
    case 'flooding':
      return runFlooding(topology, rng, opts);
    case 'swamping':
      return runSwamping(topology, rng, opts);
    case 'random-pointer-jump':
      return runRandomPointerJump(topology, rng, opts, false);
    case 'random-pointer-jump-back-edge':
      return runRandomPointerJump(topology, rng, opts, true);
  }
}
