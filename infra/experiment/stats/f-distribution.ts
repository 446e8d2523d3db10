import { StatsInputError } from './errors.js';
import { regularizedIncompleteBeta } from './incomplete-beta.js';

/*
 * Snedecor's F distribution through the incomplete beta function (Abramowitz & Stegun 26.6.2):
 *   P(F' <= F) = I_{d1 F / (d1 F + d2)}(d1/2, d2/2)
 *   P(F' >  F) = I_{d2 / (d2 + d1 F)}(d2/2, d1/2)
 * The upper tail is evaluated directly, not as 1 − CDF, so that tiny p-values keep their precision.
 */

function checkArgs(f: number, df1: number, df2: number): void {
  if (!(df1 > 0) || !(df2 > 0) || !Number.isFinite(df1) || !Number.isFinite(df2)) {
    throw new StatsInputError(`F distribution needs finite df1, df2 > 0, got ${df1}, ${df2}`);
  }
  if (Number.isNaN(f)) throw new StatsInputError('F statistic is NaN');
}

/** P(X <= f) for X ~ F(df1, df2). */
export function fCdf(f: number, df1: number, df2: number): number {
  checkArgs(f, df1, df2);
  if (f <= 0) return 0;
  if (f === Infinity) return 1;
  return regularizedIncompleteBeta((df1 * f) / (df1 * f + df2), df1 / 2, df2 / 2);
}

/** P(X > f) for X ~ F(df1, df2): the p-value of an ANOVA F test. */
export function fUpperTail(f: number, df1: number, df2: number): number {
  checkArgs(f, df1, df2);
  if (f <= 0) return 1;
  if (f === Infinity) return 0;
  return regularizedIncompleteBeta(df2 / (df2 + df1 * f), df2 / 2, df1 / 2);
}
