/**
 * The workload of one run: CPU-bound jobs (the seed's test programs), each with a class (long,
 * medium, short), a CPU demand, a memory footprint (p1 ≈ 5 MiB or p2 ≈ 25 MiB) and an arrival time.
 *
 * Seeded and replayable. Each property has its own random stream, and job i always takes the
 * i-th number of each stream: with the same seed, two cells (say, long and short majority) get
 * the same sequence of draws, mapped through their own class mix and arrival rate. These are
 * common random numbers (Law & Kelton, ch. 11): cells differ by their factors, not by luck.
 *
 * Arrivals are Poisson at a rate set by the offered load ρ (λ = ρ · Σ capacity ÷ mean demand), or
 * a fixed rate, or the submit times of an SWF trace.
 */
import { createPrng, deriveSeed, type Prng } from '../common/prng.js';
import { JOB_CLASSES, meanDemandS, type ExperimentConfig, type JobClass } from '../config.js';
import type { SwfTrace } from './swf.js';

export interface GeneratedJob {
  /** 1-based, in arrival order. */
  readonly id: number;
  readonly cls: JobClass;
  /** CPU time the job burns (zinc-testjob burn CPU_MS), ms at speed 1. */
  readonly cpuMs: number;
  /** Memory it holds while it runs, bytes. */
  readonly memBytes: number;
  /** When it is submitted, ms after the run's start (real time). */
  readonly arrivalMs: number;
}

export interface Workload {
  readonly jobs: readonly GeneratedJob[];
  readonly majority: JobClass;
  /** Expected mean CPU demand per job (s at speed 1), from the class mix. */
  readonly expectedDemandS: number;
  /** Poisson rate in jobs per real second, or null for a trace. */
  readonly ratePerS: number | null;
  /** For the report: "Poisson, ρ = 1.2 (0.42 jobs/s)" or "SWF trace x.swf, compress 1". */
  readonly arrivalsText: string;
}

export interface WorkloadInputs {
  readonly config: Pick<ExperimentConfig, 'workload' | 'timeScale' | 'window'>;
  readonly majority: JobClass;
  readonly seed: number;
  /** Σ cores × speed of the grid, CPUs. */
  readonly capacity: number;
  /** Needed when the arrivals come from a trace. */
  readonly trace?: SwfTrace;
  readonly traceName?: string;
}

/** The class of a job, from one uniform draw: majority first, then the other two in equal shares. */
export function classFor(u: number, majority: JobClass, majorityShare: number): JobClass {
  if (u < majorityShare) return majority;
  const others = JOB_CLASSES.filter((c) => c !== majority);
  const other = (1 - majorityShare) / 2;
  return (u < majorityShare + other ? others[0] : others[1]) ?? majority;
}

/** Picks an index with probability proportional to weights[i]. */
export function weightedIndex(u: number, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += (weights[i] ?? 0) / total;
    if (u < acc) return i;
  }
  return weights.length - 1;
}

/** Arrival rate (jobs per real second) of a Poisson workload. */
export function poissonRate(inputs: Omit<WorkloadInputs, 'seed' | 'trace'>): number {
  const a = inputs.config.workload.arrivals;
  if (a.kind !== 'poisson') throw new RangeError('poissonRate needs Poisson arrivals');
  if (a.perScaledHour !== undefined) return (a.perScaledHour * inputs.config.timeScale) / 3600;
  return ((a.offeredLoad ?? 1) * inputs.capacity) / meanDemandS(inputs.config, inputs.majority);
}

/** Arrival times (ms) within [0, horizonMs). */
function poissonArrivals(rng: Prng, ratePerS: number, horizonMs: number): number[] {
  const out: number[] = [];
  let t = 0;
  for (;;) {
    // 1 − u is in (0, 1], so the logarithm is finite.
    t += (-Math.log(1 - rng.next()) / ratePerS) * 1000;
    if (t >= horizonMs) return out;
    out.push(t);
  }
}

function traceArrivals(trace: SwfTrace, timeScale: number, compress: number, skipSeconds: number, horizonMs: number): number[] {
  const first = trace.jobs[0]?.submitTime ?? 0;
  const out: number[] = [];
  for (const j of trace.jobs) {
    const traceS = j.submitTime - first - skipSeconds;
    if (traceS < 0) continue;
    // Trace seconds are seconds of the scaled world; one real second is timeScale of them.
    const ms = ((traceS / timeScale) * 1000) / compress;
    if (ms >= horizonMs) break;
    out.push(ms);
  }
  return out;
}

export function generateWorkload(inputs: WorkloadInputs): Workload {
  const { config, majority, seed } = inputs;
  const w = config.workload;
  const horizonMs = config.window.arrivalS * 1000;
  const arrivalsRng = createPrng(deriveSeed(seed, 'arrivals'));
  const classRng = createPrng(deriveSeed(seed, 'class'));
  const lengthRng = createPrng(deriveSeed(seed, 'length'));
  const memoryRng = createPrng(deriveSeed(seed, 'memory'));

  let times: number[];
  let ratePerS: number | null = null;
  let arrivalsText: string;
  if (w.arrivals.kind === 'poisson') {
    ratePerS = poissonRate(inputs);
    times = poissonArrivals(arrivalsRng, ratePerS, horizonMs);
    const how = w.arrivals.offeredLoad !== undefined ? `offered load ρ = ${w.arrivals.offeredLoad}` : `${w.arrivals.perScaledHour} jobs per scaled hour`;
    arrivalsText = `Poisson, ${how} (${ratePerS.toFixed(3)} jobs per real second)`;
  } else {
    if (!inputs.trace) throw new RangeError('an SWF workload needs its trace');
    times = traceArrivals(inputs.trace, config.timeScale, w.arrivals.compress, w.arrivals.skipSeconds, horizonMs);
    arrivalsText = `SWF trace ${inputs.traceName ?? w.arrivals.file}, compress ${w.arrivals.compress}, skip ${w.arrivals.skipSeconds} s (${times.length} arrivals)`;
  }

  const jobs = times.map((t, i) => {
    const cls = classFor(classRng.next(), majority, w.majorityShare);
    const [lo, hi] = w.classes[cls].cpuSeconds;
    const cpuMs = Math.max(1, Math.round((lo + lengthRng.next() * (hi - lo)) * 1000));
    const memBytes = w.memory.sizes[weightedIndex(memoryRng.next(), w.memory.weights)] ?? w.memory.sizes[0] ?? 0;
    return { id: i + 1, cls, cpuMs, memBytes, arrivalMs: Math.round(t) };
  });
  return { jobs, majority, expectedDemandS: meanDemandS(config, majority), ratePerS, arrivalsText };
}
