import { describe, expect, it } from 'vitest';
import { NoEligibleHostError } from '../../daemon/placement/errors.js';
import { ranked, summarizeRejections, toWire } from '../../daemon/placement/engine.js';
import { PendingLedger } from '../../daemon/placement/pending.js';
import { renderPlacement } from '../../cli/placement-view.js';
import type { PlacementDecision__Output } from '../../proto/generated/zinc/v1/PlacementDecision.js';
import { GiB, entry, host, makeEngine, manualClock, request, withScorer } from './placement-fixtures.js';

describe('eligibility', () => {
  it('never chooses a dead host, whatever its record says', () => {
    const e = makeEngine();
    const d = e.decide(request(), [entry(host('h1', { load: 7 })), entry(host('h2'), { status: 'dead', ageMs: 8100 })], { reserve: false });
    expect(d.chosen).toBe('h1');
    expect(d.candidates.find((c) => c.host === 'h2')?.reason).toBe('dead: no news for 8.1 s');
  });

  it('excludes hosts the caller names', () => {
    const e = makeEngine();
    const d = e.decide(request(), [entry(host('h1')), entry(host('h2', { load: 3 }))], { exclude: new Set(['h1']), excludeReason: 'the host the job leaves', reserve: false });
    expect(d.chosen).toBe('h2');
    expect(d.candidates.find((c) => c.host === 'h1')?.reason).toBe('excluded: the host the job leaves');
  });

  it('says why when no host fits', () => {
    const e = makeEngine();
    const d = e.decide(request({ memBytes: 4 * GiB }), [entry(host('h1', { memFreeBytes: GiB })), entry(host('h2', { draining: true })), entry(host('h3'), { status: 'dead', ageMs: 9000 })]);
    expect(d.chosen).toBeUndefined();
    expect(d.pending).toBeUndefined();
    expect(d.reason).toBe('all 3 hosts refused');
    const summary = summarizeRejections(d);
    expect(summary).toContain('3 hosts: ');
    expect(summary).toContain('1 mem-fit (e.g. free memory 1.00 GiB < 4.00 GiB requested)');
    expect(summary).toContain('1 not-draining');
    expect(summary).toContain('1 dead');
    const err = new NoEligibleHostError(summary);
    expect(err.code).toBe('PLACEMENT_NO_HOST');
    expect(err.message).toMatch(/^no host can take the job: 3 hosts: /);
    expect(summarizeRejections(e.decide(request(), []))).toMatch(/no hosts are known yet/);
  });
});

describe('the recorded decision', () => {
  it('lists every host, winner first, and converts to the proto message', () => {
    const clock = manualClock(5_000_000);
    const e = makeEngine(undefined, clock.fn, 7, 'h9');
    const hosts = [entry(host('h1', { load: 1.8 })), entry(host('h2', { load: 0.2 })), entry(host('h3', { draining: true })), entry(host('h4', { load: 0.9 }))];
    const d = e.decide(request(), hosts);
    expect(d.policy).toBe('mem-fit,not-draining,domain > zinctask');
    expect(d.decidedBy).toBe('h9');
    expect(d.atMs).toBe(5_000_000);
    expect(d.decideMs).toBeGreaterThanOrEqual(0);
    expect(ranked(d).map((c) => c.host)).toEqual(['h2', 'h4', 'h1', 'h3']);
    const w = toWire(d);
    expect(w.chosen).toBe('h2');
    expect(w.candidates?.map((c) => c.host)).toEqual(['h2', 'h4', 'h1', 'h3']);
    expect(w.candidates?.[2]).toMatchObject({ host: 'h1', eligible: true, reason: "load 1.80/core higher than h2's 0.20" });
    expect(w.candidates?.[2]?.factors?.load).toBe('1.8');
    expect(w.candidates?.[3]).toMatchObject({ eligible: false, score: 0, reason: 'not-draining: host is draining (zinc undrain HOST to reopen it)' });
    expect(toWire(d, { maxCandidates: 2 }).candidates?.map((c) => c.host)).toEqual(['h2', 'h4']);

    const text = renderPlacement(w as PlacementDecision__Output);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Placement  on h2 by mem-fit,not-draining,domain > zinctask');
    expect(lines[2]).toMatch(/^ {2}HOST +ELIGIBLE +SCORE +REASON +FACTORS$/);
    expect(lines[3]).toMatch(/^ {2}h2\* +yes +-0\.950 +best score/);
    expect(lines[3]).toContain('memFreeBytes=8.00 GiB');
    expect(lines[5]).toMatch(/^ {2}h1 +yes +-2\.550 +load 1\.80\/core higher than h2's 0\.20/);
    expect(lines[6]).toMatch(/^ {2}h3 +no +- +not-draining: host is draining/);
  });

  it('describes non-default params in the policy text', () => {
    const e = makeEngine(withScorer('zinctask', { memWeight: '0.5' }, []));
    expect(e.decide(request(), [entry(host('h1'))]).policy).toBe('zinctask(memWeight=0.5)');
  });
});

describe('stampede avoidance', () => {
  it('twenty decisions in a row do not all pick the one idle host', () => {
    const e = makeEngine();
    const hosts = [entry(host('idle', { cores: 2, load: 0 })), ...['b1', 'b2', 'b3', 'b4', 'b5'].map((h) => entry(host(h, { cores: 2, load: 1.5 })))];
    const picks = Array.from({ length: 20 }, () => e.decide(request(), hosts).chosen);
    const onIdle = picks.filter((p) => p === 'idle').length;
    expect(onIdle).toBeLessThan(20);
    // Two jobs make the idle host as loaded as the rest (1.5 + 2 = 3.5 ≈ 1.5 + 1 per 2 cores).
    expect(picks.slice(0, 2)).toEqual(['idle', 'idle']);
    const counts = new Map<string, number>();
    for (const p of picks) counts.set(p ?? '', (counts.get(p ?? '') ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(5);
  });

  it('twelve jobs on six equal hosts: no host gets more than three (two each)', () => {
    const e = makeEngine();
    const hosts = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((h) => entry(host(h)));
    const counts = new Map<string, number>();
    for (let i = 0; i < 12; i++) {
      const c = e.decide(request(), hosts).chosen ?? '';
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect([...counts.values()]).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('a pending placement counts until the host record shows the job, then the record takes over', () => {
    const clock = manualClock();
    const e = makeEngine(undefined, clock.fn);
    const h1 = host('h1', { jobs: 3, load: 3, version: 10 });
    const d = e.decide(request({ memBytes: GiB }), [entry(h1)]);
    expect(d.pending).toBeDefined();
    expect(e.pending('h1')).toEqual({ jobs: 1, cpus: 1, memBytes: GiB });
    // A newer record that does not show the job yet (version moves every round regardless).
    e.decide(request(), [entry({ ...h1, version: 11 })], { reserve: false });
    expect(e.pending('h1').jobs).toBe(1);
    // The job runs there: the record counts it (and its load).
    e.decide(request(), [entry({ ...h1, version: 12, jobs: 4, load: 4 })], { reserve: false });
    expect(e.pending('h1').jobs).toBe(0);
  });

  it('several pending placements settle one by one, oldest first', () => {
    const e = makeEngine();
    const h1 = host('h1', { jobs: 0 });
    e.decide(request(), [entry(h1)]);
    e.decide(request(), [entry(h1)]);
    e.decide(request(), [entry(h1)]);
    expect(e.pending('h1').jobs).toBe(3);
    e.decide(request(), [entry({ ...h1, jobs: 2, version: 2 })], { reserve: false });
    expect(e.pending('h1').jobs).toBe(1);
  });

  it('a pending placement expires after its ttl, or when the host restarts, or when forgotten', () => {
    const clock = manualClock();
    const e = makeEngine(undefined, clock.fn);
    const h1 = host('h1');
    e.decide(request(), [entry(h1)]);
    clock.now += 8000;
    e.decide(request(), [entry(h1)], { reserve: false });
    expect(e.pending('h1').jobs).toBe(1);
    clock.now += 1500;
    e.decide(request(), [entry(h1)], { reserve: false });
    expect(e.pending('h1').jobs).toBe(0);

    e.decide(request(), [entry(h1)]);
    e.decide(request(), [entry({ ...h1, incarnation: 2, version: 0 })], { reserve: false });
    expect(e.pending('h1').jobs).toBe(0);

    const d = e.decide(request(), [entry(h1)]);
    expect(e.pending('h1').jobs).toBe(1);
    if (d.pending) e.forgetPlaced(d.pending);
    expect(e.pending('h1').jobs).toBe(0);
  });

  it('the ledger on its own', () => {
    const l = new PendingLedger(1000);
    const t = l.note('x', 2, 100, host('x', { jobs: 5 }), 0);
    expect(l.pending('x')).toEqual({ jobs: 1, cpus: 2, memBytes: 100 });
    expect(l.hosts()).toEqual(['x']);
    l.expire(999);
    expect(l.pending('x').jobs).toBe(1);
    l.forget({ host: 'x', token: t.token + 1 });
    expect(l.pending('x').jobs).toBe(1);
    l.expire(1000);
    expect(l.pending('x').jobs).toBe(0);
  });
});

describe('run-time policy switch', () => {
  it('the very next decision uses the new chain', () => {
    const e = makeEngine(undefined, undefined, 11);
    const hosts = ['a', 'b', 'c', 'd', 'e', 'f'].map((h, i) => entry(host(h, { load: i * 0.1 })));
    expect(Array.from({ length: 10 }, () => e.decide(request(), hosts, { reserve: false }).chosen)).toEqual(Array(10).fill('a'));
    e.setChain(withScorer('random'));
    const d = e.decide(request(), hosts, { reserve: false });
    expect(d.policy).toBe('mem-fit,not-draining,domain > random');
    const picks = new Set(Array.from({ length: 20 }, () => e.decide(request(), hosts, { reserve: false }).chosen));
    expect(picks.size).toBeGreaterThan(2);
  });

  it('an invalid chain leaves the old one active', () => {
    const e = makeEngine();
    expect(() => e.setChain(withScorer('zinctask', { memWeight: 'lots' }))).toThrow(/memWeight="lots" is not valid/);
    expect(e.chain.scorer.name).toBe('zinctask');
    expect(e.chain.scorer.params).toEqual({});
  });
});
