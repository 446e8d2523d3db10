import { describe, expect, it } from 'vitest';
import { GiB, MiB, entry, host, makeEngine, request, withScorer } from './placement-fixtures.js';

const NO_FILTERS: never[] = [];

function reasonOf(d: { candidates: readonly { host: string; reason: string }[] }, h: string): string {
  return d.candidates.find((c) => c.host === h)?.reason ?? '(missing)';
}

describe('zinctask', () => {
  it('normalises load by cores and speed, counting the job itself', () => {
    const e = makeEngine(withScorer('zinctask'));
    // Raw run queue says h1 (0 < 1.5); per core with the job, h2 (2.5/4 = 0.63 < 1/1).
    const d = e.decide(request(), [entry(host('h1', { cores: 1, load: 0 })), entry(host('h2', { cores: 4, load: 1.5 }))], { reserve: false });
    expect(d.chosen).toBe('h2');
    const fast = e.decide(request(), [entry(host('h1', { cores: 2, speed: 1, load: 1 })), entry(host('h2', { cores: 2, speed: 2, load: 1.5 }))], { reserve: false });
    expect(fast.chosen).toBe('h2');
  });

  it('explains each loss with the factor that cost most', () => {
    const e = makeEngine(withScorer('zinctask'));
    const d = e.decide(request(), [entry(host('h1', { load: 1.8 })), entry(host('h2', { load: 0.2 }))], { reserve: false });
    expect(d.chosen).toBe('h2');
    expect(reasonOf(d, 'h1')).toBe("load 1.80/core higher than h2's 0.20");
    expect(reasonOf(d, 'h2')).toBe('best score -0.950: 1.20/core with this job, 8.00 GiB free');
  });

  it('prefers more free memory relative to the request when loads are equal', () => {
    const e = makeEngine(withScorer('zinctask'));
    const d = e.decide(request({ memBytes: 1 * GiB }), [entry(host('h1', { memFreeBytes: 1 * GiB })), entry(host('h2', { memFreeBytes: 6 * GiB }))], { reserve: false });
    expect(d.chosen).toBe('h2');
    expect(reasonOf(d, 'h1')).toBe("less free memory: 1.00 GiB vs h2's 6.00 GiB");
  });

  it('distrusts stale records by a penalty that grows with age', () => {
    const e = makeEngine(withScorer('zinctask'));
    const fresh = entry(host('h1', { load: 0.3 }), { ageMs: 500 });
    const stale = entry(host('h2', { load: 0 }), { ageMs: 4200 });
    const d = e.decide(request(), [fresh, stale], { reserve: false });
    expect(d.chosen).toBe('h1');
    expect(reasonOf(d, 'h2')).toBe('record 4.2 s old (stale), distrusted by 0.40');
    const older = e.decide(request(), [entry(host('h2', { load: 0 }), { ageMs: 3300 }), entry(host('h3', { load: 0 }), { ageMs: 4000 })], { reserve: false });
    const s = (h: string) => older.candidates.find((c) => c.host === h)?.score ?? NaN;
    expect(s('h2')).toBeGreaterThan(s('h3'));
  });

  it('excludes records older than maxAge (auto: halfway from stale to dead)', () => {
    const e = makeEngine(withScorer('zinctask'));
    const d = e.decide(request(), [entry(host('h1', { load: 5 })), entry(host('h2'), { ageMs: 4600 })], { reserve: false });
    expect(d.chosen).toBe('h1');
    const h2 = d.candidates.find((c) => c.host === 'h2');
    expect(h2?.eligible).toBe(false);
    expect(h2?.reason).toBe('zinctask: record 4.6 s old, at least maxAge 4.5 s: not trusted');
    const lax = makeEngine(withScorer('zinctask', { maxAge: '5.5s' }));
    expect(lax.decide(request(), [entry(host('h1', { load: 5 })), entry(host('h2'), { ageMs: 4600 })], { reserve: false }).chosen).toBe('h2');
  });

  it('puts its inputs in the factors', () => {
    const e = makeEngine(withScorer('zinctask'));
    const d = e.decide(request({ memBytes: 512 * MiB }), [entry(host('h1', { cores: 2, load: 1 }))], { reserve: false });
    const f = d.candidates[0]?.factors ?? {};
    expect(f.load).toBe(0.5);
    expect(f.after).toBe(1);
    expect(f.memFreeBytes).toBe(8 * GiB);
    expect(f.pending).toBe(0);
  });
});

describe('least-loaded', () => {
  it('uses the raw run queue only: the baseline', () => {
    const e = makeEngine(withScorer('least-loaded'));
    const d = e.decide(request(), [entry(host('h1', { cores: 1, load: 0.5 })), entry(host('h2', { cores: 16, load: 1 }))], { reserve: false });
    expect(d.chosen).toBe('h1');
    expect(reasonOf(d, 'h2')).toBe("run queue 1.00 longer than h1's 0.50");
  });

  it('never sees stale hosts', () => {
    const e = makeEngine(withScorer('least-loaded'));
    const d = e.decide(request(), [entry(host('h1', { load: 3 })), entry(host('h2'), { ageMs: 3500 })], { reserve: false });
    expect(d.chosen).toBe('h1');
    expect(reasonOf(d, 'h2')).toBe('stale: record 3.5 s old; least-loaded places on fresh records only');
  });

  it('stampedes with countPending=false, spreads without', () => {
    const hosts = [entry(host('h1')), entry(host('h2', { load: 0.5 }))];
    const naive = makeEngine(withScorer('least-loaded', { countPending: 'false' }));
    expect(new Set(Array.from({ length: 5 }, () => naive.decide(request(), hosts).chosen))).toEqual(new Set(['h1']));
    const counted = makeEngine(withScorer('least-loaded'));
    expect(new Set(Array.from({ length: 5 }, () => counted.decide(request(), hosts).chosen))).toEqual(new Set(['h1', 'h2']));
  });
});

describe('random', () => {
  it('draws uniformly among the eligible, reproducibly for a seed', () => {
    const hosts = ['a', 'b', 'c', 'd'].map((h) => entry(host(h)));
    const draw = (seed: number) => {
      const e = makeEngine(withScorer('random', {}, NO_FILTERS), undefined, seed);
      return Array.from({ length: 400 }, () => e.decide(request(), hosts, { reserve: false }).chosen);
    };
    const a = draw(3);
    expect(draw(3)).toEqual(a);
    for (const h of ['a', 'b', 'c', 'd']) expect(a.filter((x) => x === h).length).toBeGreaterThan(60);
  });

  it('explains the draw', () => {
    const e = makeEngine(withScorer('random'));
    const d = e.decide(request(), [entry(host('a')), entry(host('b'))], { reserve: false });
    const loser = d.chosen === 'a' ? 'b' : 'a';
    expect(reasonOf(d, d.chosen ?? '')).toBe('drawn at random');
    expect(reasonOf(d, loser)).toBe('not drawn (random pick)');
  });
});

describe('round-robin', () => {
  it('visits the eligible hosts in name order, skipping refused ones', () => {
    const e = makeEngine(withScorer('round-robin'));
    const hosts = [entry(host('c')), entry(host('a')), entry(host('d', { draining: true })), entry(host('b'))];
    const picks = Array.from({ length: 7 }, () => e.decide(request(), hosts, { reserve: false }).chosen);
    expect(picks).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  });

  it('keeps its cursor across a filter change, restarts after a scorer switch', () => {
    const e = makeEngine(withScorer('round-robin'));
    const hosts = ['a', 'b', 'c'].map((h) => entry(host(h)));
    expect(e.decide(request(), hosts).chosen).toBe('a');
    e.setChain({ ...e.chain, filters: [], version: e.chain.version + 1 });
    expect(e.decide(request(), hosts).chosen).toBe('b');
    e.setChain(withScorer('random'));
    e.setChain(withScorer('round-robin'));
    expect(e.decide(request(), hosts).chosen).toBe('a');
  });
});

describe('zinctask spread', () => {
  it('shares near-equal hosts at random instead of herding onto one', async () => {
    const { DEFAULT_CHAIN } = await import('../../daemon/placement/chain.js');
    const { entry, host, makeEngine } = await import('./placement-fixtures.js');
    const hosts = ['h1', 'h2', 'h3', 'h4'].map((h) => entry(host(h)));
    const picks = new Map<string, number>();
    // Fresh engines: nothing pending, so every decision sees the same, equal scores.
    for (let seed = 1; seed <= 200; seed++) {
      const chosen = makeEngine(DEFAULT_CHAIN, () => 1_000_000, seed).decide({ memBytes: 0, domain: '', entryHost: 'h1' }, hosts, { reserve: false }).chosen ?? '';
      picks.set(chosen, (picks.get(chosen) ?? 0) + 1);
    }
    expect([...picks.keys()].sort()).toEqual(['h1', 'h2', 'h3', 'h4']);
    for (const n of picks.values()) expect(n).toBeGreaterThan(20);
  });
});
