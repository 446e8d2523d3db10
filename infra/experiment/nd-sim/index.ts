/** The simulator's public surface, for zinc-experiment and tests. */
export { ndSimCommand, parseNdSimFlags, optionsFromFlags, type NdSimFlags } from './command.js';
export {
  runNdSim,
  defaultMaxRounds,
  DEFAULT_ND_SIM_OPTIONS,
  type NdSimOptions,
  type NdSimReport,
  type CellResult,
  type CellSummary,
  type TrialResult,
} from './run.js';
export { formatTable, formatMarkdown, formatJson } from './report.js';
export { ALGORITHM_NAMES, runAlgorithm, type AlgorithmName, type Engine, type RunResult } from './algorithms/index.js';
export { TOPOLOGY_NAMES, buildTopology, type Topology, type TopologyName } from './topologies.js';
export { verifyFastEngine, type Verification } from './verify.js';
