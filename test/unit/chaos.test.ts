/** The chaos harness's pure parts: the seeded schedule, the fault catalogue, output checks, locks. */
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS } from '../../infra/lab/chaos/faults.js';
import { KeyedLock, RefCount } from '../../infra/lab/chaos/locks.js';
import { formatSchedule, planSchedule, type ScheduleOptions } from '../../infra/lab/chaos/schedule.js';
import { countFailures, freezeStats, summaryLine } from '../../infra/lab/chaos/summary.js';
import { discontinuity, longestGapMs, memVerdict, ticks } from '../../infra/lab/chaos/workload.js';
import { parseChaosOptions } from '../../infra/lab/chaos/chaos.js';

const hosts = [
  { id: 'd1-h1', domain: 'd1' },
  { id: 'd1-h2', domain: 'd1' },
  { id: 'd2-h1', domain: 'd2' },
  { id: 'd2-h2', domain: 'd2' },
];
const base: ScheduleOptions = { seed: 7, rounds: 40, concurrency: 3, jobs: 9, lazyFraction: 0.4, hosts };

describe('chaos schedule', () => {
  it('is a function of the seed: the same seed replays it, another seed does not', () => {
    expect(formatSchedule(planSchedule(base))).toEqual(formatSchedule(planSchedule({ ...base })));
    expect(formatSchedule(planSchedule({ ...base, seed: 8 }))).not.toEqual(formatSchedule(planSchedule(base)));
  });

  it('starts C migrations a round, never the same job twice in a round, never to where the job is', () => {
    const s = planSchedule(base);
    expect(s.rounds).toHaveLength(40);
    for (const r of s.rounds) {
      expect(r.tasks).toHaveLength(3);
      expect(new Set(r.tasks.map((t) => t.job)).size).toBe(3);
      for (const t of r.tasks) expect(t.to).not.toBe(t.from);
    }
  });

  it('draws every fault kind over a long run, about the asked share of post-copy, and crossing cuts', () => {
    const tasks = planSchedule({ ...base, rounds: 200 }).rounds.flatMap((r) => r.tasks);
    expect(new Set(tasks.map((t) => t.fault.kind))).toEqual(new Set(FAULT_KINDS));
    const lazy = tasks.filter((t) => t.lazy).length / tasks.length;
    expect(lazy).toBeGreaterThan(0.33);
    expect(lazy).toBeLessThan(0.47);
    const dom = (h: string): string => hosts.find((x) => x.id === h)?.domain ?? '';
    for (const t of tasks.filter((x) => x.fault.kind === 'cut-link')) expect(dom(t.to)).not.toBe(dom(t.from));
  });

  it('alternates counters and memory holders, homed round-robin', () => {
    const s = planSchedule(base);
    expect(s.jobs.map((j) => j.kind).slice(0, 4)).toEqual(['counter', 'mem', 'counter', 'mem']);
    expect(s.jobs.map((j) => j.home).slice(0, 5)).toEqual(['d1-h1', 'd1-h2', 'd2-h1', 'd2-h2', 'd1-h1']);
    for (const j of s.jobs.filter((x) => x.kind === 'mem')) expect(j.bytes).toBeGreaterThanOrEqual(4 << 20);
  });
});

describe('chaos options', () => {
  it('refuses a lab name with a dash and a fraction above 1, with CHAOS_BAD_OPTIONS', () => {
    expect(() => parseChaosOptions({ seed: 1, rounds: 1, concurrency: 1, name: 'chaos-dev' })).toThrow(expect.objectContaining({ code: 'CHAOS_BAD_OPTIONS' }));
    expect(() => parseChaosOptions({ seed: 1, rounds: 1, concurrency: 1, lazyFraction: 1.5 })).toThrow(/lazyFraction/);
    expect(parseChaosOptions({ seed: 1, rounds: 1, concurrency: 1 })).toMatchObject({ lazyFraction: 0.4, name: 'chaos', attach: false });
  });
});

describe('job output checks', () => {
  it('a continuous counter passes; a gap, a repeat and no output are named', () => {
    expect(discontinuity(ticks('counter', '1 100.5\n2 100.55\n3 100.6\n'))).toBeUndefined();
    expect(discontinuity(ticks('counter', '1 100.5\n2 100.55\n4 100.6\n'))).toMatch(/expected 3, found 4: gap/);
    expect(discontinuity(ticks('counter', '1 100.5\n2 100.55\n2 100.6\n'))).toMatch(/expected 3, found 2: repeat/);
    expect(discontinuity(ticks('counter', ''))).toBe('no output at all');
  });

  it('ignores a half-written last line, and reads a memory holder\'s beats and verdict', () => {
    expect(ticks('counter', '1 100.5\n2 100.55\n3 10').map((t) => t.n)).toEqual([1, 2]);
    const mem = 'ready 00ab\nbeat 1\nbeat 2\nverified 00ab\n';
    expect(ticks('mem', mem).map((t) => t.n)).toEqual([1, 2]);
    expect(memVerdict(mem)).toEqual({ ok: true, line: 'verified 00ab' });
    expect(memVerdict('ready 1\nbeat 1\nMISMATCH 02\n')?.ok).toBe(false);
    expect(memVerdict('ready 1\nbeat 1\n')).toBeUndefined();
  });

  it('measures the longest silence around a window', () => {
    const xs = ticks('counter', '1 100.000\n2 100.050\n3 101.250\n4 101.300\n5 109.000\n');
    expect(longestGapMs(xs, 100_040, 101_260)).toBeCloseTo(1200, 3);
    expect(longestGapMs(xs, 101_300, 120_000)).toBeCloseTo(7700, 3);
    expect(longestGapMs(xs, 200_000, 300_000)).toBeUndefined();
  });
});

describe('summary', () => {
  it('is one line that starts with the fields the issue asks for', () => {
    const line = summaryLine({ seed: 3, rounds: 4, concurrency: 2, lazyFraction: 0.4, hosts: 3, domains: 2, durationMs: 90_000, settleMs: 5000 }, [], []);
    expect(line).toMatch(/^chaos seed=3 rounds=4 concurrency=2 jobs=0 lost=0 duplicated=0 stuck=0 gaps=0 /);
    expect(line).not.toContain('\n');
    expect(countFailures([])).toEqual({ lost: 0, duplicated: 0, stuck: 0, gaps: 0, misplaced: 0, checksum: 0 });
    expect(freezeStats([], [])).toEqual([]);
  });
});

describe('locks', () => {
  it('KeyedLock serialises holders of a key and takes several keys without deadlock', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const hold = (name: string, keys: string[], ms: number): Promise<void> =>
      lock.with(keys, async () => {
        order.push(`${name}+`);
        await new Promise((r) => setTimeout(r, ms));
        order.push(`${name}-`);
      });
    await Promise.all([hold('a', ['x'], 20), hold('b', ['y', 'x'], 5), hold('c', ['x', 'y'], 5)]);
    expect(order).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
  });

  it('RefCount turns on at the first up and off at the last down', () => {
    const r = new RefCount();
    expect(r.up('d1')).toBe(true);
    expect(r.up('d1')).toBe(false);
    expect(r.down('d1')).toBe(false);
    expect(r.down('d1')).toBe(true);
  });
});
