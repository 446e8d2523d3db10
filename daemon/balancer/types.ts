/**
 * The balancer's contract with the rest of zinc: what it is told about local jobs, what it may
 * ask the placement engine, and what it answers. Shared by the balancer plugin, drain planning
 * and the loop that runs them.
 */
import type { Decision } from '../placement/decision.js';
import type { HostEntry, PlacementRequest } from '../placement/plugin.js';

/** A job on this host, as the balancer needs to see it. */
export interface LocalJob {
  readonly gpid: string;
  /** The job's state (JobRecord.state): running, stopped, migrating, queued, checkpointed, … */
  readonly state: string;
  /** When the job first started, on any host: its age predicts its remaining life. */
  readonly startedAtMs: number;
  /** What a migration has to move: the job's peak (or current) resident memory, bytes. */
  readonly imageBytes: number;
  /** The job's --mem and --domain, so that its new host still honours them. */
  readonly memBytes: number;
  readonly domain: string;
  /** Runnable threads it adds to a run queue; default 1 (CPU-bound, single-threaded). */
  readonly cpus?: number;
  /** Times of the job's earlier migrations, any cause and any host (from its events). */
  readonly migratedAtMs: readonly number[];
}

/** One proposed migration. */
export interface Move {
  readonly gpid: string;
  readonly from: string;
  readonly to: string;
  /** For the job's events, e.g. "balancer: d1-h1 load 3.00/core > threshold 1.00; …". */
  readonly reason: string;
  readonly cpus: number;
  readonly memBytes: number;
  /** The engine's decision that chose `to`, with every candidate. */
  readonly placement: Decision;
}

export interface BalanceDecision {
  readonly move?: Move;
  /** Why this move, or why none (for logs and `zinc policy show`). */
  readonly reason: string;
}

/** Asks the placement engine (its filters and scorer) for a host among `hosts`, without reserving. */
export type Place = (request: PlacementRequest, hosts: readonly HostEntry[], exclude?: ReadonlySet<string>) => Decision;

/** What this host remembers about the moves it made (see history.ts). */
export interface MoveHistoryView {
  /** When this host last started a move (success or failure), for the host's rate limit. */
  readonly lastMoveAtMs: number | undefined;
  /** Load that left with recent moves and may still linger in this host's smoothed load. */
  departedLoad(now: number, tauMs: number): number;
  /** When this host moved `gpid` (it may have come back), merged with the job's own record. */
  movesOf(gpid: string): readonly number[];
  /** When a move of `gpid` last failed, to back off. */
  failedAt(gpid: string): number | undefined;
}

export interface BalanceInput {
  /** This host's own view entry. */
  readonly self: HostEntry;
  /** Every host in the view (this one included or not; it is never a target). */
  readonly hosts: readonly HostEntry[];
  readonly jobs: readonly LocalJob[];
  readonly history: MoveHistoryView;
  readonly place: Place;
}
