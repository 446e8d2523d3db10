import { StatsConvergenceError, StatsInputError } from './errors.js';
import { regularizedIncompleteBeta } from './incomplete-beta.js';

/*
 * Student's t distribution through the incomplete beta function (Abramowitz & Stegun 26.7.1):
 * for x = df / (df + t²), P(|T| > |t|) = I_x(df/2, 1/2), so each tail holds half of that.
 * The quantile is found by bisection on the CDF: the CDF is monotone, so bisection cannot fail,
 * and ~50 halvings past the scale of the answer reach double precision, cheap next to any caller.
 */

function checkDf(df: number): void {
  if (!(df > 0) || !Number.isFinite(df)) {
    throw new StatsInputError(`t distribution needs finite df > 0, got ${df}`);
  }
}

/** P(T <= t) for T ~ t(df). */
export function tCdf(t: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(t)) throw new StatsInputError('t statistic is NaN');
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const t2 = t * t;
  if (t2 < df) {
    // Near the centre df/(df+t²) rounds to 1 for |t| < ~1e-8; the complementary form
    // P(|T| < |t|) = I_{t²/(df+t²)}(1/2, df/2) keeps full precision there.
    const inner = 0.5 * regularizedIncompleteBeta(t2 / (df + t2), 0.5, df / 2);
    return t > 0 ? 0.5 + inner : 0.5 - inner;
  }
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t2), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

const MAX_BISECTIONS = 2000;

/** The t such that P(T <= t) = p, for T ~ t(df) and 0 < p < 1. */
export function tQuantile(p: number, df: number): number {
  checkDf(df);
  if (!(p > 0 && p < 1)) throw new StatsInputError(`t quantile needs 0 < p < 1, got ${p}`);
  if (p === 0.5) return 0;
  // Bracket the root by doubling; the t(1) (Cauchy) tail is the heaviest, so this terminates
  // for any p representable in a double.
  let lo = -1;
  let hi = 1;
  while (tCdf(lo, df) > p) lo *= 2;
  while (tCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < MAX_BISECTIONS; i++) {
    const mid = (lo + hi) / 2;
    // Relative 1e-15 (beyond what the CDF resolves); the absolute floor only ends the search
    // for a root at exactly zero, which p = 0.5 already returned.
    if (hi - lo <= Math.max(1e-15 * Math.abs(mid), 1e-300)) return mid;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  throw new StatsConvergenceError('t quantile bisection did not converge', {
    context: { p, df },
    hint: 'report the arguments',
  });
}
