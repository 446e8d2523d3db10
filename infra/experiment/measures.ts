/**
 * What one run measured, computed the same way for the lab and the simulator from the fate of
 * every job. Times are real milliseconds from the run's start (its first possible arrival);
 * throughput and makespan are converted to the scaled world with `timeScale`.
 *
 *   throughput   jobs that completed in the measurement window [warm-up, cut-off), per scaled hour
 *   upper bound  Σ host capacity ÷ mean CPU demand per job: what the grid could complete if no
 *                CPU-second were ever wasted (no idle host while another queues, no migration cost)
 *   slowdown     per completed job, (end − submit) ÷ (CPU demand ÷ the fastest single-job rate):
 *                how much longer it took than alone on the best host; the mean over completed jobs
 *   makespan     first submission to last completion; censored at the stop if jobs were unfinished
 *   imbalance    max over hosts of (CPU work first placed there ÷ its capacity), divided by the same
 *                ratio for the whole grid: 1 when every host got work in proportion to its
 *                capacity, 2 when some host got twice its share (placement quality, before migration)
 */
import type { JobClass } from './config.js';

export type JobFate = 'completed' | 'failed' | 'unfinished';

export interface JobOutcome {
  readonly id: number;
  readonly cls: JobClass;
  readonly cpuMs: number;
  readonly memBytes: number;
  /** When it was submitted (ms from the run's start). */
  readonly submittedMs: number;
  /** When it ended (ms from the run's start), or null if it had not when the run stopped. */
  readonly endedMs: number | null;
  readonly fate: JobFate;
  readonly migrations: number;
  /** Where it first ran and where it ended ('' if unknown: never placed). */
  readonly firstHost: string;
  readonly finalHost: string;
}

export interface MeasureContext {
  readonly timeScale: number;
  /** Throughput window, real ms from the start. */
  readonly windowMs: { readonly from: number; readonly to: number };
  /** Σ cores × speed, CPUs. */
  readonly capacity: number;
  /** The fastest rate one single-threaded job can get on any host: max over hosts of min(1, cores × speed). */
  readonly bestRate: number;
  /** When the run stopped waiting (ms from the start). */
  readonly stoppedMs: number;
  /** Capacity (cores × speed) of every host, by id; without it the imbalance is NaN. */
  readonly hostCapacity?: ReadonlyMap<string, number>;
}

export interface RunMeasures {
  readonly submitted: number;
  readonly completed: number;
  readonly failed: number;
  readonly unfinished: number;
  readonly completedInWindow: number;
  /** Jobs per scaled hour. */
  readonly throughput: number;
  /** Jobs per scaled hour. */
  readonly upperBound: number;
  /** throughput ÷ upper bound. */
  readonly utilisation: number;
  readonly migrations: number;
  /** Mean over completed jobs; NaN if none completed. */
  readonly meanSlowdown: number;
  /** Scaled hours. */
  readonly makespanH: number;
  readonly makespanCensored: boolean;
  /** Mean CPU demand of the jobs submitted, seconds at speed 1. */
  readonly meanDemandS: number;
  /** Placement imbalance (see above); NaN without host capacities or placed jobs. */
  readonly imbalance: number;
}

/** Real jobs per second → jobs per scaled hour (one scaled hour lasts 3600 / timeScale real seconds). */
export function perScaledHour(perRealSecond: number, timeScale: number): number {
  return (perRealSecond * 3600) / timeScale;
}

/** Real milliseconds → scaled hours. */
export function scaledHours(realMs: number, timeScale: number): number {
  return (realMs / 1000) * (timeScale / 3600);
}

/** The physical upper bound on throughput, jobs per scaled hour. */
export function upperBound(capacity: number, meanDemandS: number, timeScale: number): number {
  return meanDemandS > 0 ? perScaledHour(capacity / meanDemandS, timeScale) : NaN;
}

export function computeMeasures(jobs: readonly JobOutcome[], ctx: MeasureContext): RunMeasures {
  const { from, to } = ctx.windowMs;
  let completed = 0;
  let failed = 0;
  let unfinished = 0;
  let inWindow = 0;
  let migrations = 0;
  let slowdownSum = 0;
  let demandMs = 0;
  let lastEnd = -Infinity;
  let firstSubmit = Infinity;
  for (const j of jobs) {
    migrations += j.migrations;
    demandMs += j.cpuMs;
    firstSubmit = Math.min(firstSubmit, j.submittedMs);
    if (j.fate === 'completed' && j.endedMs !== null) {
      completed++;
      lastEnd = Math.max(lastEnd, j.endedMs);
      if (j.endedMs >= from && j.endedMs < to) inWindow++;
      const ideal = j.cpuMs / ctx.bestRate;
      slowdownSum += (j.endedMs - j.submittedMs) / ideal;
    } else if (j.fate === 'failed') failed++;
    else unfinished++;
  }
  const meanDemandS = jobs.length ? demandMs / jobs.length / 1000 : NaN;
  const throughput = perScaledHour(inWindow / ((to - from) / 1000), ctx.timeScale);
  const bound = upperBound(ctx.capacity, meanDemandS, ctx.timeScale);
  const censored = unfinished > 0 || completed === 0;
  const end = censored ? ctx.stoppedMs : lastEnd;
  const start = Number.isFinite(firstSubmit) ? firstSubmit : 0;
  return {
    submitted: jobs.length,
    completed,
    failed,
    unfinished,
    completedInWindow: inWindow,
    throughput,
    upperBound: bound,
    utilisation: bound > 0 ? throughput / bound : NaN,
    migrations,
    meanSlowdown: completed ? slowdownSum / completed : NaN,
    makespanH: scaledHours(Math.max(0, end - start), ctx.timeScale),
    makespanCensored: censored,
    meanDemandS,
    imbalance: placementImbalance(jobs, ctx.hostCapacity),
  };
}

export function placementImbalance(jobs: readonly JobOutcome[], capacity: ReadonlyMap<string, number> | undefined): number {
  if (!capacity || capacity.size === 0) return NaN;
  const work = new Map<string, number>();
  let placed = 0;
  for (const j of jobs) {
    if (!capacity.has(j.firstHost)) continue;
    work.set(j.firstHost, (work.get(j.firstHost) ?? 0) + j.cpuMs);
    placed += j.cpuMs;
  }
  const total = [...capacity.values()].reduce((a, b) => a + b, 0);
  if (placed === 0 || total <= 0) return NaN;
  let worst = 0;
  for (const [host, cap] of capacity) if (cap > 0) worst = Math.max(worst, (work.get(host) ?? 0) / cap);
  return worst / (placed / total);
}

/** max over hosts of min(1, cores × speed): a single-threaded job cannot use more than one core. */
export function bestSingleJobRate(hosts: ReadonlyArray<{ cores: number; speed: number }>): number {
  return hosts.reduce((m, h) => Math.max(m, Math.min(1, h.cores * h.speed)), 0);
}
