/** The measures of a run, checked on a hand-computed example. */
import { describe, expect, it } from 'vitest';
import { bestSingleJobRate, computeMeasures, perScaledHour, placementImbalance, scaledHours, upperBound, type JobOutcome } from '../../infra/experiment/measures.js';

const job = (o: Partial<JobOutcome> & Pick<JobOutcome, 'id' | 'submittedMs'>): JobOutcome => ({
  cls: 'short',
  cpuMs: 1000,
  memBytes: 5335040,
  endedMs: null,
  fate: 'unfinished',
  migrations: 0,
  firstHost: 'a-h1',
  finalHost: 'a-h1',
  ...o,
});

describe('unit conversions', () => {
  it('scale real time to the seed\'s world', () => {
    // timeScale 60: one scaled hour is one real minute, so 1 job per real second is 60 per scaled hour.
    expect(perScaledHour(1, 60)).toBe(60);
    expect(scaledHours(60_000, 60)).toBe(1);
    expect(upperBound(1.2, 2, 60)).toBeCloseTo(36, 10);
  });

  it('a single-threaded job uses at most one CPU', () => {
    expect(bestSingleJobRate([{ cores: 1, speed: 0.3 }, { cores: 1, speed: 0.12 }])).toBe(0.3);
    expect(bestSingleJobRate([{ cores: 4, speed: 0.5 }])).toBe(1);
  });
});

describe('computeMeasures', () => {
  const jobs: JobOutcome[] = [
    job({ id: 1, submittedMs: 0, endedMs: 3_000, fate: 'completed', cpuMs: 600 }), // before the window
    job({ id: 2, submittedMs: 1_000, endedMs: 12_000, fate: 'completed', cpuMs: 1200, migrations: 1 }), // in it
    job({ id: 3, submittedMs: 2_000, endedMs: 19_999, fate: 'completed', cpuMs: 900 }), // in it (to is exclusive)
    job({ id: 4, submittedMs: 3_000, endedMs: 20_000, fate: 'completed', cpuMs: 300, migrations: 2 }), // at the cut-off: out
    job({ id: 5, submittedMs: 4_000, fate: 'failed', cpuMs: 1000 }),
    job({ id: 6, submittedMs: 5_000, fate: 'unfinished', cpuMs: 2000 }),
  ];
  const ctx = { timeScale: 60, windowMs: { from: 5_000, to: 20_000 }, capacity: 0.6, bestRate: 0.3, stoppedMs: 30_000 };
  const m = computeMeasures(jobs, ctx);

  it('counts fates and completions in the window', () => {
    expect(m).toMatchObject({ submitted: 6, completed: 4, failed: 1, unfinished: 1, completedInWindow: 2, migrations: 3 });
  });

  it('throughput: completions in the window per scaled hour', () => {
    // 2 jobs in 15 real seconds = 2/15 per s = 8 per real minute = 8 per scaled hour.
    expect(m.throughput).toBeCloseTo(8, 10);
  });

  it('upper bound: Σ capacity ÷ mean CPU demand', () => {
    const meanDemand = (600 + 1200 + 900 + 300 + 1000 + 2000) / 6 / 1000;
    expect(m.meanDemandS).toBeCloseTo(meanDemand, 10);
    expect(m.upperBound).toBeCloseTo(((0.6 / meanDemand) * 3600) / 60, 10);
    expect(m.utilisation).toBeCloseTo(m.throughput / m.upperBound, 10);
  });

  it('slowdown: mean of (end − submit) ÷ (demand ÷ best rate) over completed jobs', () => {
    const sd = [3000 / (600 / 0.3), 11000 / (1200 / 0.3), 17999 / (900 / 0.3), 17000 / (300 / 0.3)];
    expect(m.meanSlowdown).toBeCloseTo(sd.reduce((a, b) => a + b, 0) / 4, 10);
  });

  it('makespan is censored at the stop when jobs were unfinished', () => {
    expect(m.makespanCensored).toBe(true);
    expect(m.makespanH).toBeCloseTo(scaledHours(30_000, 60), 10);
    const done = computeMeasures(jobs.slice(0, 4), ctx);
    expect(done.makespanCensored).toBe(false);
    expect(done.makespanH).toBeCloseTo(scaledHours(20_000, 60), 10);
  });

  it('a run where nothing completed has NaN slowdown and zero throughput', () => {
    const none = computeMeasures([job({ id: 1, submittedMs: 0 })], ctx);
    expect(none.throughput).toBe(0);
    expect(Number.isNaN(none.meanSlowdown)).toBe(true);
  });
});

describe('placement imbalance', () => {
  const cap = new Map([['a', 0.2], ['b', 0.2], ['c', 0.4]]);
  const placed = (host: string, cpuMs: number, id: number) => job({ id, submittedMs: 0, cpuMs, firstHost: host, finalHost: host });

  it('is 1 when every host got work in proportion to its capacity', () => {
    expect(placementImbalance([placed('a', 1000, 1), placed('b', 1000, 2), placed('c', 2000, 3)], cap)).toBeCloseTo(1, 10);
  });

  it('is the largest share ÷ the fair share, counting where jobs were first placed', () => {
    // All 4 s of work on a (0.2 of 0.8 CPUs): 4/0.2 = 20 per CPU, against 4/0.8 = 5 for the grid.
    expect(placementImbalance([placed('a', 1000, 1), placed('a', 3000, 2)], cap)).toBeCloseTo(4, 10);
    const moved = job({ id: 3, submittedMs: 0, cpuMs: 4000, firstHost: 'c', finalHost: 'a', migrations: 1 });
    expect(placementImbalance([moved], cap)).toBeCloseTo(2, 10);
  });

  it('is NaN without capacities or placed jobs', () => {
    expect(Number.isNaN(placementImbalance([placed('a', 1000, 1)], undefined))).toBe(true);
    expect(Number.isNaN(placementImbalance([job({ id: 1, submittedMs: 0, cpuMs: 1000 })], cap))).toBe(true);
  });
});
