/** One finished run: where it sits in the design, what happened to its jobs, and its measures. */
import type { Cell } from './design.js';
import type { JobOutcome, RunMeasures } from './measures.js';
import type { ObservedMigration } from './run-result.js';

export interface RunRecord {
  readonly order: number;
  readonly replication: number;
  readonly cell: Cell;
  readonly mode: 'lab' | 'sim';
  readonly workloadSeed: number;
  readonly runSeed: number;
  /** Jobs the workload had (submitted or not). */
  readonly arrivals: number;
  readonly measures: RunMeasures;
  readonly outcomes: readonly JobOutcome[];
  readonly migrations: readonly ObservedMigration[];
  readonly wallMs: number;
  readonly notes: readonly string[];
}
