import { describe as group, expect, it } from 'vitest';
import { StatsInputError } from '../../infra/experiment/stats/errors.js';
import {
  ci95,
  confidenceInterval,
  describe,
  mean,
  median,
  percentile,
  sd,
  se,
  variance,
} from '../../infra/experiment/stats/summary.js';

// Reference values: NumPy (mean, std ddof=1, percentile linear) and scipy.stats.t.interval.
const xs = [12.5, 7, 3.2, 9.9, 15.1, 6.6, 8.0, 11.4, 10.3, 4.8];

group('summary statistics', () => {
  it('mean, variance, sd, se', () => {
    expect(mean(xs)).toBeCloseTo(8.88, 12);
    expect(sd(xs)).toBeCloseTo(3.645636661362, 11);
    expect(variance(xs)).toBeCloseTo(3.645636661362 ** 2, 10);
    expect(se(xs)).toBeCloseTo(1.1528515371315886, 12);
  });

  it('sample variance uses n − 1 and is stable for large offsets', () => {
    expect(variance([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(32 / 7, 12);
    expect(variance([1e9 + 1, 1e9 + 2, 1e9 + 3])).toBeCloseTo(1, 6);
  });

  it('95% CI uses the t quantile with n − 1 df', () => {
    const ci = ci95(xs);
    expect(ci.low).toBeCloseTo(6.272068637634855, 9);
    expect(ci.high).toBeCloseTo(11.487931362365142, 9);
    expect(ci.level).toBe(0.95);
    // n = 2: t_{0.975,1} = 12.706, so the interval is wide.
    const two = ci95([1, 3]);
    expect(two.halfWidth).toBeCloseTo(12.706204736174694 * 1, 8);
    expect(confidenceInterval(xs, 0.99).halfWidth).toBeGreaterThan(ci.halfWidth);
  });

  it('median and percentiles interpolate linearly between order statistics', () => {
    expect(median(xs)).toBeCloseTo(8.95, 12);
    expect(median([3, 1, 2])).toBe(2);
    expect(percentile(xs, 99)).toBeCloseTo(14.866, 12);
    expect(percentile(xs, 25)).toBeCloseTo(6.7, 12);
    expect(percentile(xs, 90)).toBeCloseTo(12.76, 12);
    expect(percentile(xs, 0)).toBe(3.2);
    expect(percentile(xs, 100)).toBe(15.1);
    expect(percentile([5], 99)).toBe(5);
  });

  it('describe() returns everything at once', () => {
    const d = describe(xs);
    expect(d).toMatchObject({ n: 10, min: 3.2, max: 15.1 });
    expect(d.mean).toBeCloseTo(8.88, 12);
    expect(d.median).toBeCloseTo(8.95, 12);
    expect(d.p50).toBe(d.median);
    expect(d.p99).toBeCloseTo(14.866, 12);
    expect(d.sd).toBeCloseTo(3.645636661362, 11);
    expect(d.ci95?.low).toBeCloseTo(6.272068637634855, 9);
    // The input is not reordered.
    expect(xs[0]).toBe(12.5);
  });

  it('describe() of one value has no spread', () => {
    expect(describe([4])).toEqual({
      n: 1,
      mean: 4,
      sd: null,
      se: null,
      ci95: null,
      min: 4,
      max: 4,
      median: 4,
      p50: 4,
      p99: 4,
    });
  });

  it('rejects samples that cannot give the statistic', () => {
    expect(() => mean([])).toThrow(StatsInputError);
    expect(() => describe([])).toThrow(StatsInputError);
    expect(() => sd([1])).toThrow(/at least 2/);
    expect(() => mean([1, Number.NaN])).toThrow(/not a finite number/);
    expect(() => percentile(xs, 101)).toThrow(StatsInputError);
    expect(() => confidenceInterval(xs, 1)).toThrow(StatsInputError);
  });
});
