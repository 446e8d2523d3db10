/** The workload generator: seeded, Poisson arrivals at the right rate, the class mix and footprints asked for. */
import { describe, expect, it } from 'vitest';
import { P1_BYTES, P2_BYTES, meanDemandS, parseConfig, totalCapacity } from '../../infra/experiment/config.js';
import { classFor, generateWorkload, poissonRate, weightedIndex } from '../../infra/experiment/workload/generator.js';
import { parseSwf } from '../../infra/experiment/workload/swf.js';

const config = parseConfig({ window: { arrivalS: 20_000, warmupS: 10, drainLimitS: 30 } });
const capacity = totalCapacity(config.topology);

describe('Poisson workload statistics (20,000 s of arrivals)', () => {
  const w = generateWorkload({ config, majority: 'long', seed: 42, capacity });
  const jobs = w.jobs;

  it('arrives at rate ρ · capacity ÷ mean demand, with exponential gaps', () => {
    const rate = poissonRate({ config, majority: 'long', capacity });
    expect(rate).toBeCloseTo((1 * capacity) / meanDemandS(config, 'long'), 10);
    const expected = rate * 20_000;
    // Poisson count: within 4 standard deviations.
    expect(Math.abs(jobs.length - expected)).toBeLessThan(4 * Math.sqrt(expected));
    const gaps = jobs.slice(1).map((j, i) => (j.arrivalMs - (jobs[i]?.arrivalMs ?? 0)) / 1000);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / (gaps.length - 1));
    expect(mean).toBeCloseTo(1 / rate, 1);
    // Exponential: coefficient of variation 1.
    expect(sd / mean).toBeGreaterThan(0.95);
    expect(sd / mean).toBeLessThan(1.05);
    expect(jobs.every((j, i) => i === 0 || j.arrivalMs >= (jobs[i - 1]?.arrivalMs ?? 0))).toBe(true);
    expect(jobs.every((j) => j.arrivalMs >= 0 && j.arrivalMs < 20_000_000)).toBe(true);
  });

  it('makes the majority 70 % and the others 15 % each', () => {
    const share = (cls: string): number => jobs.filter((j) => j.cls === cls).length / jobs.length;
    expect(share('long')).toBeCloseTo(0.7, 1);
    expect(Math.abs(share('long') - 0.7)).toBeLessThan(0.02);
    expect(Math.abs(share('medium') - 0.15)).toBeLessThan(0.02);
    expect(Math.abs(share('short') - 0.15)).toBeLessThan(0.02);
  });

  it('draws CPU demands uniformly within each class', () => {
    for (const cls of ['long', 'medium', 'short'] as const) {
      const [lo, hi] = config.workload.classes[cls].cpuSeconds;
      const xs = jobs.filter((j) => j.cls === cls).map((j) => j.cpuMs / 1000);
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(lo - 0.001);
      expect(Math.max(...xs)).toBeLessThanOrEqual(hi + 0.001);
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(Math.abs(mean - (lo + hi) / 2)).toBeLessThan(0.03 * (hi - lo) + 0.01);
    }
    const mean = jobs.reduce((a, j) => a + j.cpuMs, 0) / jobs.length / 1000;
    expect(mean).toBeCloseTo(w.expectedDemandS, 1);
  });

  it('gives half the jobs p1 (5 MiB) and half p2 (25 MiB)', () => {
    expect(new Set(jobs.map((j) => j.memBytes))).toEqual(new Set([P1_BYTES, P2_BYTES]));
    const p1 = jobs.filter((j) => j.memBytes === P1_BYTES).length / jobs.length;
    expect(Math.abs(p1 - 0.5)).toBeLessThan(0.02);
  });
});

describe('seeding', () => {
  const small = parseConfig({ window: { arrivalS: 60, warmupS: 10, drainLimitS: 30 } });

  it('replays exactly from the seed, and differs with another seed', () => {
    const a = generateWorkload({ config: small, majority: 'medium', seed: 7, capacity });
    const b = generateWorkload({ config: small, majority: 'medium', seed: 7, capacity });
    const c = generateWorkload({ config: small, majority: 'medium', seed: 8, capacity });
    expect(b.jobs).toEqual(a.jobs);
    expect(c.jobs).not.toEqual(a.jobs);
  });

  it('uses common random numbers across majorities: the same draws, mapped through each mix', () => {
    const long = generateWorkload({ config: small, majority: 'long', seed: 3, capacity });
    const short = generateWorkload({ config: small, majority: 'short', seed: 3, capacity });
    const n = Math.min(long.jobs.length, short.jobs.length);
    for (let i = 0; i < n; i++) {
      const l = long.jobs[i];
      const s = short.jobs[i];
      // Same memory draw; the majority class swaps with the other.
      expect(s?.memBytes).toBe(l?.memBytes);
      if (l?.cls === 'long') expect(s?.cls).toBe('short');
      if (l?.cls === 'medium') expect(s?.cls).toBe('long');
    }
    // Arrival gaps scale with 1/rate: short jobs arrive faster.
    expect(short.jobs.length).toBeGreaterThan(long.jobs.length);
  });
});

describe('helpers', () => {
  it('classFor splits [0, 1) into majority, then the other two', () => {
    expect(classFor(0.1, 'short', 0.7)).toBe('short');
    expect(classFor(0.75, 'short', 0.7)).toBe('long');
    expect(classFor(0.9, 'short', 0.7)).toBe('medium');
  });

  it('weightedIndex follows the weights', () => {
    expect(weightedIndex(0.1, [1, 3])).toBe(0);
    expect(weightedIndex(0.3, [1, 3])).toBe(1);
    expect(weightedIndex(0.999, [0, 1])).toBe(1);
  });
});

describe('SWF arrivals', () => {
  const trace = parseSwf(['; Version: 2.2', ...[0, 60, 120, 600, 6000].map((t, i) => `${i + 1} ${t} 0 100 1 -1 -1 1 100 -1 1 1 1 1 1 1 -1 -1`)].join('\n'));
  const swf = parseConfig({ workload: { arrivals: { kind: 'swf', file: 'x.swf' } }, window: { arrivalS: 20, warmupS: 5, drainLimitS: 10 } });

  it('maps trace seconds to scaled seconds (÷ timeScale) and stops at the window', () => {
    const w = generateWorkload({ config: swf, majority: 'long', seed: 1, capacity, trace });
    // 0, 60, 120, 600 trace s → 0, 1, 2, 10 real s at timeScale 60; 6000 → 100 s is past the 20 s window.
    expect(w.jobs.map((j) => j.arrivalMs)).toEqual([0, 1000, 2000, 10000]);
    expect(w.ratePerS).toBeNull();
  });

  it('compresses and skips', () => {
    const c = parseConfig({ workload: { arrivals: { kind: 'swf', file: 'x.swf', compress: 2, skipSeconds: 60 } }, window: { arrivalS: 20, warmupS: 5, drainLimitS: 10 } });
    expect(generateWorkload({ config: c, majority: 'long', seed: 1, capacity, trace }).jobs.map((j) => j.arrivalMs)).toEqual([0, 500, 4500]);
  });
});
