import { StatsInputError } from './errors.js';
import { tQuantile } from './t-distribution.js';

/*
 * Descriptive statistics for the experiment report. Every function rejects empty samples and
 * non-finite values rather than returning NaN, so a broken measurement shows up where it happens.
 */

function checkSample(xs: readonly number[], minN: number, what: string): void {
  if (xs.length < minN) {
    throw new StatsInputError(`${what} needs at least ${minN} value(s), got ${xs.length}`, {
      hint: minN > 1 ? 'run more replications' : 'check that the run produced measurements',
    });
  }
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (x === undefined || !Number.isFinite(x)) {
      throw new StatsInputError(`${what}: value #${i} is not a finite number (${x})`);
    }
  }
}

export function mean(xs: readonly number[]): number {
  checkSample(xs, 1, 'mean');
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Sample variance (divisor n − 1), two-pass: subtracting the mean first avoids cancellation. */
export function variance(xs: readonly number[]): number {
  checkSample(xs, 2, 'variance');
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return ss / (xs.length - 1);
}

/** Sample standard deviation (divisor n − 1). */
export function sd(xs: readonly number[]): number {
  return Math.sqrt(variance(xs));
}

/** Standard error of the mean, s / √n. */
export function se(xs: readonly number[]): number {
  return sd(xs) / Math.sqrt(xs.length);
}

export interface ConfidenceInterval {
  readonly level: number;
  readonly low: number;
  readonly high: number;
  readonly halfWidth: number;
}

/** Two-sided t interval for the mean: x̄ ± t_{1−α/2, n−1} · s/√n. */
export function confidenceInterval(xs: readonly number[], level = 0.95): ConfidenceInterval {
  if (!(level > 0 && level < 1)) {
    throw new StatsInputError(`confidence level must be in (0, 1), got ${level}`);
  }
  const m = mean(xs);
  const halfWidth = tQuantile(1 - (1 - level) / 2, xs.length - 1) * se(xs);
  return { level, low: m - halfWidth, high: m + halfWidth, halfWidth };
}

export function ci95(xs: readonly number[]): ConfidenceInterval {
  return confidenceInterval(xs, 0.95);
}

/**
 * The p-th percentile (0 <= p <= 100), interpolating linearly between order statistics at rank
 * (n − 1)·p/100: Hyndman & Fan (1996) type 7, the default of R's quantile() and NumPy.
 */
export function percentile(xs: readonly number[], p: number): number {
  checkSample(xs, 1, 'percentile');
  if (!(p >= 0 && p <= 100)) throw new StatsInputError(`percentile must be in [0, 100], got ${p}`);
  const sorted = [...xs].sort((a, b) => a - b);
  return percentileOfSorted(sorted, p);
}

function percentileOfSorted(sorted: readonly number[], p: number): number {
  const rank = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (rank - lo);
}

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

export interface Description {
  readonly n: number;
  readonly mean: number;
  /** null when n < 2: a single value has no spread. */
  readonly sd: number | null;
  readonly se: number | null;
  readonly ci95: ConfidenceInterval | null;
  readonly min: number;
  readonly max: number;
  readonly median: number;
  readonly p50: number;
  readonly p99: number;
}

/** All of the above for one sample; spread statistics are null when n < 2. */
export function describe(xs: readonly number[]): Description {
  checkSample(xs, 1, 'describe');
  const sorted = [...xs].sort((a, b) => a - b);
  const spread = xs.length >= 2;
  const p50 = percentileOfSorted(sorted, 50);
  return {
    n: xs.length,
    mean: mean(xs),
    sd: spread ? sd(xs) : null,
    se: spread ? se(xs) : null,
    ci95: spread ? ci95(xs) : null,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    median: p50,
    p50,
    p99: percentileOfSorted(sorted, 99),
  };
}
