import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../../infra/experiment/stats/errors.js';
import { fCdf, fUpperTail } from '../../infra/experiment/stats/f-distribution.js';
import { lnGamma, regularizedIncompleteBeta } from '../../infra/experiment/stats/incomplete-beta.js';
import { tCdf, tQuantile } from '../../infra/experiment/stats/t-distribution.js';

function expectRelative(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(tolerance);
}

describe('lnGamma', () => {
  it('matches exact values', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 14);
    expect(lnGamma(2)).toBeCloseTo(0, 14);
    expect(lnGamma(3)).toBeCloseTo(Math.log(2), 14);
    expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(lnGamma(1.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI) / 2), 14);
  });

  it('matches reference values in the reflection range and for large x', () => {
    // Reference: scipy.special.gammaln.
    expectRelative(lnGamma(0.001), 6.907178885383853, 1e-13);
    expectRelative(lnGamma(100.5), 361.43554046777757, 1e-14);
  });

  it('rejects non-positive arguments', () => {
    expect(() => lnGamma(0)).toThrow(StatsInputError);
    expect(() => lnGamma(-1)).toThrow(StatsInputError);
  });
});

describe('regularizedIncompleteBeta', () => {
  it('matches closed forms', () => {
    // I_x(a, 1) = x^a; I_x(1, b) = 1 − (1−x)^b; I_x(1/2, 1/2) = (2/π)·asin(√x).
    expect(regularizedIncompleteBeta(0.3, 2.5, 1)).toBeCloseTo(0.3 ** 2.5, 14);
    expect(regularizedIncompleteBeta(0.3, 1, 4)).toBeCloseTo(1 - 0.7 ** 4, 14);
    expect(regularizedIncompleteBeta(0.2, 0.5, 0.5)).toBeCloseTo((2 / Math.PI) * Math.asin(Math.sqrt(0.2)), 13);
    expect(regularizedIncompleteBeta(0.5, 2, 2)).toBeCloseTo(0.5, 14);
    expect(regularizedIncompleteBeta(0.4, 2, 3)).toBeCloseTo(0.5248, 13);
  });

  it('is exact at the ends and satisfies the symmetry I_x(a,b) = 1 − I_{1−x}(b,a)', () => {
    expect(regularizedIncompleteBeta(0, 3, 4)).toBe(0);
    expect(regularizedIncompleteBeta(1, 3, 4)).toBe(1);
    for (const [x, a, b] of [[0.1, 3, 7], [0.6, 0.7, 12], [0.93, 40, 3]] as const) {
      const lhs = regularizedIncompleteBeta(x, a, b);
      const rhs = 1 - regularizedIncompleteBeta(1 - x, b, a);
      expect(lhs).toBeCloseTo(rhs, 13);
    }
  });

  it('matches reference values, including a tiny tail and large parameters', () => {
    // Reference: scipy.special.betainc(a, b, x).
    expectRelative(regularizedIncompleteBeta(0.3, 10, 20), 0.3640040810719437, 1e-12);
    expectRelative(regularizedIncompleteBeta(0.01, 0.1, 5), 0.7690889207843462, 1e-12);
    expectRelative(regularizedIncompleteBeta(0.45, 50, 60), 0.4642352914306031, 1e-11);
    expectRelative(regularizedIncompleteBeta(0.9, 30, 2), 0.1695646331008649, 1e-12);
    expectRelative(regularizedIncompleteBeta(1e-5, 3, 4), 1.9999550003599994e-14, 1e-10);
    expectRelative(regularizedIncompleteBeta(0.35, 1000, 1800), 0.21553132444596576, 1e-9);
  });

  it('rejects arguments outside its domain', () => {
    expect(() => regularizedIncompleteBeta(1.1, 1, 1)).toThrow(StatsInputError);
    expect(() => regularizedIncompleteBeta(0.5, 0, 1)).toThrow(StatsInputError);
    expect(() => regularizedIncompleteBeta(Number.NaN, 1, 1)).toThrow(StatsInputError);
  });
});

describe('fUpperTail', () => {
  it('F = 4.0 on (2, 27) df gives p ≈ 0.0300', () => {
    // Exactly 0.03009…: "≈ 0.0300" holds to three decimals.
    expect(fUpperTail(4.0, 2, 27)).toBeCloseTo(0.03, 3);
    expectRelative(fUpperTail(4.0, 2, 27), 0.030094852382393567, 1e-12); // scipy.stats.f.sf
  });

  it('gives α at the critical values printed in F tables (2-decimal rounding)', () => {
    // [α, df1, df2, F_α as printed in standard F tables (upper percentage points, 2 decimals)].
    const table: [number, number, number, number][] = [
      [0.05, 2, 27, 3.35],
      [0.05, 1, 10, 4.96],
      [0.05, 5, 10, 3.33],
      [0.05, 10, 20, 2.35],
      [0.05, 3, 60, 2.76],
      [0.05, 1, 120, 3.92],
      [0.01, 1, 10, 10.04],
      [0.01, 4, 27, 4.11],
      [0.01, 2, 12, 6.93],
    ];
    for (const [alpha, df1, df2, critical] of table) {
      // Rounding the critical value to 2 decimals moves p by well under 1% of α.
      expect(Math.abs(fUpperTail(critical, df1, df2) - alpha) / alpha).toBeLessThan(0.01);
    }
  });

  it('matches closed forms', () => {
    // df1 = 2: P(F > f) = (1 + 2f/df2)^(−df2/2).
    for (const [f, df2] of [[0.5, 3], [3.7, 12], [20, 40]] as const) {
      expectRelative(fUpperTail(f, 2, df2), (1 + (2 * f) / df2) ** (-df2 / 2), 1e-12);
    }
    // F(1, 1) is the square of a Cauchy: P(F > 1) = 1/2.
    expect(fUpperTail(1, 1, 1)).toBeCloseTo(0.5, 14);
    // F(1, ν) = T(ν)²: P(F > t²) = 2·P(T > t).
    expect(fUpperTail(2.5 ** 2, 1, 9)).toBeCloseTo(2 * (1 - tCdf(2.5, 9)), 13);
  });

  it('keeps precision deep in the tail and complements the CDF', () => {
    expectRelative(fUpperTail(100, 1, 100), 9.90168898459413e-17, 1e-9); // scipy
    expect(fUpperTail(2.5, 3, 15) + fCdf(2.5, 3, 15)).toBeCloseTo(1, 14);
    expectRelative(fCdf(2.5, 3, 15), 0.900918075964625, 1e-12); // scipy
    expectRelative(fUpperTail(1.2, 120, 120), 0.15966136193221073, 1e-10); // scipy
  });

  it('handles the edges', () => {
    expect(fUpperTail(0, 3, 10)).toBe(1);
    expect(fUpperTail(-1, 3, 10)).toBe(1);
    expect(fUpperTail(Infinity, 3, 10)).toBe(0);
    expect(fCdf(0, 3, 10)).toBe(0);
    expect(() => fUpperTail(1, 0, 10)).toThrow(StatsInputError);
    expect(() => fUpperTail(Number.NaN, 1, 10)).toThrow(StatsInputError);
  });
});

describe('t distribution', () => {
  it('CDF matches reference values', () => {
    expect(tCdf(0, 7)).toBe(0.5);
    expectRelative(tCdf(2.0, 5), 0.9490302605850708, 1e-12); // scipy.stats.t.cdf
    expectRelative(tCdf(-1.5, 3.5), 0.10890909350767251, 1e-11);
    // t(1) is Cauchy: CDF(t) = 1/2 + atan(t)/π.
    expect(tCdf(3, 1)).toBeCloseTo(0.5 + Math.atan(3) / Math.PI, 14);
    // Near 0 the CDF rises with the density at 0 (0.3796066898 for ν = 5), to full precision.
    expectRelative(tCdf(1e-9, 5) - 0.5, 1e-9 * 0.3796066898224944, 1e-6);
    expect(tCdf(-2, 5)).toBeCloseTo(1 - tCdf(2, 5), 15);
  });

  it('quantiles match t tables', () => {
    // t_{0.025, ν} as printed in t tables (3 decimals).
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [5, 2.571],
      [10, 2.228],
      [30, 2.042],
      [120, 1.98],
    ];
    for (const [df, t] of table) expect(Math.abs(tQuantile(0.975, df) - t)).toBeLessThan(5e-4 + 1e-12);
    expectRelative(tQuantile(0.995, 12), 3.0545395893929013, 1e-10); // scipy.stats.t.ppf
    expectRelative(tQuantile(0.05, 7), -1.8945786050900066, 1e-10);
    expectRelative(tQuantile(1 - 1e-10, 3), 2225.7692232960744, 1e-6);
    expect(tQuantile(0.5, 4)).toBe(0);
    expect(() => tQuantile(1, 4)).toThrow(StatsInputError);
  });
});
