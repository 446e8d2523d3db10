/**
 * Drain planning: where each job of a draining host goes. Called by the balancer loop every tick
 * while the host drains, so a job that is stuck now (no host fits it) is retried as the grid
 * changes. Small images go first: they clear quickly, so the host empties fastest in job count.
 * At most `slots` moves are proposed at once (a small concurrency); the rest wait their turn.
 *
 * The `place` it is given must reserve (PlacementEngine.decide with reserve on), so that the jobs
 * of one plan spread out instead of all following the first one to the same host.
 */
import { summarizeRejections } from '../placement/decision.js';
import type { HostEntry } from '../placement/plugin.js';
import type { LocalJob, Move, Place } from './types.js';

/** States a migration can take: a running job, or a stopped (frozen) one. */
const MOVABLE = new Set(['running', 'stopped']);

export interface DrainInput {
  readonly self: HostEntry;
  readonly hosts: readonly HostEntry[];
  readonly jobs: readonly LocalJob[];
  /** Jobs whose move is under way. */
  readonly inFlight: ReadonlySet<string>;
  /** How many new moves may start now. */
  readonly slots: number;
  /** When a job last failed to move, and why: it is retried after `retryMs`. */
  readonly failure: (gpid: string) => { atMs: number; reason: string } | undefined;
  readonly retryMs: number;
  readonly now: number;
  /** Chooses a target and reserves it (PlacementEngine.decide, reserve on). */
  readonly place: Place;
  /** Chooses without reserving: checks that a job waiting for a slot has somewhere to go. */
  readonly preview: Place;
}

export interface StuckJob {
  readonly gpid: string;
  readonly reason: string;
}

export interface DrainPlan {
  /** Moves to start now. */
  readonly moves: readonly Move[];
  /** Jobs being moved or waiting for a slot (DrainReply.moving). */
  readonly moving: readonly string[];
  /** Jobs that cannot be moved now, with why (DrainReply.stuck). */
  readonly stuck: readonly StuckJob[];
}

export function planDrain(input: DrainInput): DrainPlan {
  const me = input.self.record.host;
  const exclude = new Set([me]);
  const moves: Move[] = [];
  const moving: string[] = [];
  const stuck: StuckJob[] = [];
  let slots = input.slots;
  const jobs = [...input.jobs].sort((a, b) => a.imageBytes - b.imageBytes || (a.gpid < b.gpid ? -1 : a.gpid > b.gpid ? 1 : 0));
  for (const job of jobs) {
    if (input.inFlight.has(job.gpid) || job.state === 'migrating') {
      moving.push(job.gpid);
      continue;
    }
    if (!MOVABLE.has(job.state)) {
      stuck.push({ gpid: job.gpid, reason: `it is ${job.state}; only running or stopped jobs can be migrated` });
      continue;
    }
    const failed = input.failure(job.gpid);
    if (failed && input.now - failed.atMs < input.retryMs) {
      stuck.push({ gpid: job.gpid, reason: `last move failed: ${failed.reason}; retrying in ${Math.ceil((input.retryMs - (input.now - failed.atMs)) / 1000)} s` });
      continue;
    }
    const cpus = job.cpus ?? 1;
    const request = { memBytes: Math.max(job.memBytes, job.imageBytes), domain: job.domain, cpus, gpid: job.gpid, entryHost: me };
    const d = (slots > 0 ? input.place : input.preview)(request, input.hosts, exclude);
    if (d.chosen === undefined) {
      stuck.push({ gpid: job.gpid, reason: `no host can take it: ${summarizeRejections(d)}` });
      continue;
    }
    moving.push(job.gpid);
    if (slots <= 0) continue; // it has somewhere to go; it waits for a slot
    slots--;
    moves.push({
      gpid: job.gpid,
      from: me,
      to: d.chosen,
      reason: `drain: ${me} is draining; ${d.chosen} chosen by ${d.policy}`,
      cpus,
      memBytes: request.memBytes,
      placement: d,
    });
  }
  return { moves, moving, stuck };
}
