/** What a runner (lab or simulator) hands back for one run, before measures are computed. */
import type { JobOutcome } from './measures.js';

export interface ObservedMigration {
  readonly fromDomain: string;
  readonly toDomain: string;
  /** Image size moved (the job's memory plus the process's own), bytes. */
  readonly bytes: number;
  /** How long the job did not run: from "migrating" on the source to "migrated" on the destination. */
  readonly ms: number;
}

export interface RunResult {
  readonly outcomes: readonly JobOutcome[];
  /** When the runner stopped waiting, ms from the run's start. */
  readonly stoppedMs: number;
  readonly migrations: readonly ObservedMigration[];
  /** Wall time of the whole run, set-up and tear-down included, ms. */
  readonly wallMs: number;
  /** Anything the reader of runs.csv should know (failed submits, retries). */
  readonly notes: readonly string[];
}
