import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { BALANCER_DEFAULTS, priority } from '../../daemon/balancer/balancer.js';
import { planDrain } from '../../daemon/balancer/drain.js';
import { MoveHistory } from '../../daemon/balancer/history.js';
import { BalancerLoop } from '../../daemon/balancer/loop.js';
import type { LocalJob } from '../../daemon/balancer/types.js';
import type { HostState } from '../../daemon/discovery/host-state.js';
import { parseDuration } from '../../daemon/common/units.js';
import { DEFAULT_CHAIN, type ChainSpec } from '../../daemon/placement/chain.js';
import type { PlacementEngine } from '../../daemon/placement/engine.js';
import type { HostEntry } from '../../daemon/placement/plugin.js';
import { GiB, MiB, entry, host, makeEngine, manualClock } from './placement-fixtures.js';

const silent = pino({ level: 'silent' });
const T0 = 10_000_000;

function balancerOn(params: Record<string, string> = {}): ChainSpec {
  return { ...DEFAULT_CHAIN, balancer: { enabled: true, params } };
}

function job(gpid: string, o: Partial<LocalJob> = {}): LocalJob {
  return { gpid, state: 'running', startedAtMs: T0 - 600_000, imageBytes: 50 * MiB, memBytes: 0, domain: '', migratedAtMs: [], ...o };
}

function setup(self: Partial<HostState>, others: Array<Partial<HostState> & { host: string }>, params: Record<string, string> = {}) {
  const clock = manualClock(T0);
  const engine = makeEngine(balancerOn(params), clock.fn, 7, 'h1');
  const selfEntry = entry(host('h1', self), { ageMs: 0, isSelf: true });
  const hosts = [selfEntry, ...others.map((o) => entry(host(o.host, o)))];
  const history = new MoveHistory();
  const balance = (jobs: LocalJob[], view: HostEntry[] = hosts, me: HostEntry = selfEntry) => engine.balance({ self: me, hosts: view, jobs, history });
  return { clock, engine, hosts, history, balance, selfEntry };
}

describe('balancer rules', () => {
  it('stays put at or below the threshold', () => {
    const { balance } = setup({ load: 1 }, [{ host: 'h2' }]);
    expect(balance([job('h1.1')])).toEqual({ reason: 'h1 load 1.00/core ≤ threshold 1.00' });
  });

  it('moves one job from an overloaded host to a clearly lighter one, saying why', () => {
    const { balance } = setup({ load: 3, jobs: 3 }, [{ host: 'h2', load: 0 }, { host: 'h3', load: 0.8 }]);
    const d = balance([job('h1.1'), job('h1.2'), job('h1.3')]);
    expect(d.move).toMatchObject({ gpid: 'h1.1', from: 'h1', to: 'h2', cpus: 1 });
    expect(d.move?.reason).toBe(
      'balancer: h1 load 3.00/core > threshold 1.00; h2 0.00/core, 1.00 with the job (margin 0.50); oldest per byte: age 10m00s, image 50.0 MiB',
    );
    expect(d.move?.placement.chosen).toBe('h2');
  });

  it('requires the target to be lighter by the margin, with the job on it', () => {
    const { balance } = setup({ load: 2 }, [{ host: 'h2', load: 0.6 }]);
    expect(balance([job('h1.1'), job('h1.2')])).toEqual({
      reason: 'h1 load 2.00/core > threshold 1.00 but no host clearly lighter: best h2 would be 1.60/core with the job, needs ≤ 1.50 (margin 0.50)',
    });
    const ok = setup({ load: 2 }, [{ host: 'h2', load: 0.5 }]);
    expect(ok.balance([job('h1.1'), job('h1.2')]).move?.to).toBe('h2');
  });

  it('normalises by cores and speed on both sides', () => {
    // 4 jobs on 4 cores: not overloaded. 4 jobs on 2 cores at speed 1: overloaded; the 8-core target is light.
    expect(setup({ load: 4, cores: 4 }, [{ host: 'h2' }]).balance([job('a')]).move).toBeUndefined();
    expect(setup({ load: 4, cores: 2 }, [{ host: 'h2', cores: 8, load: 6 }]).balance([job('a')]).move?.to).toBe('h2');
  });

  it('moves old jobs with small images first; young jobs not at all', () => {
    const { balance } = setup({ load: 4 }, [{ host: 'h2' }]);
    const jobs = [
      job('big-old', { startedAtMs: T0 - 3_600_000, imageBytes: 4 * GiB }),
      job('small-old', { startedAtMs: T0 - 1_800_000, imageBytes: 20 * MiB }),
      job('small-young', { startedAtMs: T0 - 5_000, imageBytes: 1 * MiB }),
      job('stopped', { state: 'stopped' }),
    ];
    expect(priority(jobs[1] as LocalJob, T0)).toBeGreaterThan(priority(jobs[0] as LocalJob, T0));
    expect(balance(jobs).move?.gpid).toBe('small-old');
    expect(balance([jobs[2] as LocalJob, jobs[3] as LocalJob]).reason).toBe('h1 load 4.00/core > threshold 1.00 but no job may move: 1 younger than minAge 10.0s');
  });

  it('never moves a job that moved recently (cooldown), nor more than maxMoves per window', () => {
    const { balance } = setup({ load: 4 }, [{ host: 'h2' }]);
    const recent = job('recent', { migratedAtMs: [T0 - 30_000] });
    const busy = job('busy', { migratedAtMs: [T0 - 500_000, T0 - 200_000] });
    expect(balance([recent, busy]).reason).toBe(
      'h1 load 4.00/core > threshold 1.00 but no job may move: 1 moved within cooldown 1m00s, 1 moved 2× within 10m00s',
    );
    expect(balance([job('old-moves', { migratedAtMs: [T0 - 700_000, T0 - 200_000] })]).move?.gpid).toBe('old-moves');
  });

  it('rate-limits the host and accounts for load that already left', () => {
    const { balance, history, clock, engine } = setup({ load: 3 }, [{ host: 'h2' }, { host: 'h3' }, { host: 'h4' }]);
    const jobs = [job('a'), job('b'), job('c')];
    const first = balance(jobs);
    expect(first.move?.gpid).toBe('a');
    history.started('a', 1, clock.now);
    engine.notePlaced(first.move?.to ?? '', { memBytes: 0, domain: '', entryHost: 'h1' });
    clock.now += 1000;
    expect(balance(jobs.slice(1)).reason).toBe('rate limit: last move 1.00s ago, minInterval 3.00s');
    // 3 s later the record still says 3 (smoothed), but ~0.55 of a job is known to have left.
    clock.now += 2000;
    const second = balance(jobs.slice(1));
    expect(second.move?.gpid).toBe('b');
    expect(second.move?.to).not.toBe(first.move?.to);
    expect(second.reason).toContain('h1 load 2.45/core');
    history.started('b', 1, clock.now);
    clock.now += 3000;
    // Two departures still lingering (0.45 + 0.55): 3 − 1.0 ≈ 2.0 > 1; a third move goes ahead,
    // but with the record caught up (load 1) the host would be content.
    expect(balance(jobs.slice(2)).move?.gpid).toBe('c');
    const settled = setup({ load: 1 }, [{ host: 'h2' }]);
    expect(settled.balance([job('c')]).move).toBeUndefined();
  });

  it('lets the chain\'s filters veto targets', () => {
    const { balance } = setup({ load: 3 }, [{ host: 'h2', memFreeBytes: 100 * MiB }, { host: 'h3', load: 0.4, memFreeBytes: 8 * GiB }]);
    expect(balance([job('a', { imageBytes: 1 * GiB })]).move?.to).toBe('h3');
    const none = setup({ load: 3 }, [{ host: 'h2', memFreeBytes: 100 * MiB }]);
    expect(none.balance([job('a', { imageBytes: 1 * GiB })]).reason).toMatch(/but a: no lighter host fits it \(1 host: 1 mem-fit \(e\.g\. free memory 100 MiB < 1\.00 GiB requested\)\)$/);
  });

  it('lets the scorer choose among `choices` random lighter hosts, so senders do not all pick the same one', () => {
    // h2 is the clear best; eight more hosts are lighter but worse.
    const others = [{ host: 'h2', load: 0 }, ...Array.from({ length: 8 }, (_, i) => ({ host: `h${i + 3}`, load: 0.3 }))];
    const two = setup({ load: 3 }, others);
    const targets = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      const d = two.balance([job('a')]);
      expect(d.move?.placement.candidates).toHaveLength(2);
      const to = d.move?.to as string;
      targets.set(to, (targets.get(to) ?? 0) + 1);
    }
    // The best of two: h2 wins whenever drawn (2/9 of draws ≈ 44 of 200); the rest spread.
    expect(targets.size).toBeGreaterThan(5);
    expect(targets.get('h2') ?? 0).toBeGreaterThan(20);
    expect(targets.get('h2') ?? 0).toBeLessThan(80);
    const all = setup({ load: 3 }, others, { choices: '0' });
    for (let i = 0; i < 20; i++) expect(all.balance([job('a')]).move?.to).toBe('h2');
  });

  it('falls back to every lighter host when the drawn ones all fail the filters', () => {
    const others = [...Array.from({ length: 8 }, (_, i) => ({ host: `h${i + 2}`, memFreeBytes: 100 * MiB })), { host: 'h10', load: 0.4 }];
    const { balance } = setup({ load: 3 }, others);
    for (let i = 0; i < 20; i++) expect(balance([job('a', { imageBytes: 1 * GiB })]).move?.to).toBe('h10');
  });

  it('honours the job\'s --domain', () => {
    const { balance } = setup({ load: 3 }, [{ host: 'h2', domain: 'd2' }, { host: 'h3', domain: 'd1', load: 0.2 }]);
    expect(balance([job('a', { domain: 'd1' })]).move?.to).toBe('h3');
  });

  it('ignores stale and dead hosts as targets, and leaves draining to drain', () => {
    const { engine, history } = setup({ load: 3 }, []);
    const self = entry(host('h1', { load: 3 }), { ageMs: 0, isSelf: true });
    const view = [self, entry(host('h2'), { ageMs: 3500 }), entry(host('h3'), { ageMs: 7000 })];
    expect(engine.balance({ self, hosts: view, jobs: [job('a')], history }).reason).toMatch(/no other alive host$/);
    const draining = entry(host('h1', { load: 3, draining: true }), { ageMs: 0, isSelf: true });
    expect(engine.balance({ self: draining, hosts: [draining, entry(host('h2'))], jobs: [job('a')], history }).reason).toBe('h1 is draining: drain moves its jobs');
  });
});

/**
 * A small grid in simulated time: hosts smooth their run queue like HostProbe (tau 5 s, bumped
 * when a job arrives), every host runs the balancer each second, and moves take effect at once.
 */
function simulate(opts: { hosts: number; jobsOnFirst: number; seconds: number; noise?: () => number; params?: Record<string, string> }) {
  const clock = manualClock(T0);
  const names = Array.from({ length: opts.hosts }, (_, i) => `h${i + 1}`);
  const tau = parseDuration(BALANCER_DEFAULTS.loadTau) ?? 5000;
  interface Sim {
    load: number;
    version: number;
    jobs: Set<string>;
    engine: PlacementEngine;
    history: MoveHistory;
  }
  const sim = new Map<string, Sim>(
    names.map((n) => [n, { load: 0, version: 1, jobs: new Set<string>(), engine: makeEngine(balancerOn(opts.params), clock.fn, 3, n), history: new MoveHistory() }]),
  );
  const moves = new Map<string, Array<{ at: number; from: string; to: string }>>();
  const first = sim.get('h1');
  for (let j = 0; j < opts.jobsOnFirst; j++) {
    first?.jobs.add(`h1.${j}`);
    moves.set(`h1.${j}`, []);
  }
  if (first) first.load = opts.jobsOnFirst;
  const record = (n: string): HostState => {
    const s = sim.get(n);
    return host(n, { load: Math.max(0, (s?.load ?? 0) + (opts.noise?.() ?? 0)), jobs: s?.jobs.size ?? 0, version: s?.version ?? 0 });
  };
  const snapshots: Array<{ t: number; counts: number[] }> = [];
  for (let t = 0; t < opts.seconds; t++) {
    clock.now += 1000;
    const a = Math.exp(-1000 / tau);
    for (const s of sim.values()) {
      s.load = s.load * a + s.jobs.size * (1 - a);
      s.version++;
    }
    for (const n of names) {
      const s = sim.get(n);
      if (!s) continue;
      const view = names.map((m) => entry(record(m), { ageMs: m === n ? 0 : 1000, isSelf: m === n }));
      const self = view.find((v) => v.isSelf);
      if (!self) continue;
      const jobs = [...s.jobs].map((g) => job(g, { startedAtMs: T0 - 60_000, migratedAtMs: (moves.get(g) ?? []).map((m) => m.at) }));
      const d = s.engine.balance({ self, hosts: view, jobs, history: s.history });
      if (!d.move) continue;
      const { gpid, to } = d.move;
      const target = sim.get(to);
      if (!target) continue;
      s.engine.notePlaced(to, { memBytes: 0, domain: '', entryHost: n });
      s.history.started(gpid, 1, clock.now);
      s.jobs.delete(gpid);
      target.jobs.add(gpid);
      target.load += 1; // HostProbe.bump on arrival
      moves.get(gpid)?.push({ at: clock.now, from: n, to });
    }
    snapshots.push({ t: t + 1, counts: names.map((n) => sim.get(n)?.jobs.size ?? 0) });
  }
  return { moves, snapshots };
}

describe('balancer in a simulated grid', () => {
  it('spreads six jobs forced onto one host within 30 s, each job moving at most once', () => {
    const { moves, snapshots } = simulate({ hosts: 6, jobsOnFirst: 6, seconds: 120 });
    const at30 = snapshots.find((s) => s.t === 30);
    expect(Math.max(...(at30?.counts ?? [99]))).toBe(1);
    expect(snapshots[snapshots.length - 1]?.counts).toEqual([1, 1, 1, 1, 1, 1]);
    for (const m of moves.values()) expect(m.length).toBeLessThanOrEqual(1);
  });

  it('twelve jobs on six hosts: settles at two each and then stays', () => {
    // One sender seeing every lighter host (choices=0) makes the ten moves that are needed, no more.
    const best = simulate({ hosts: 6, jobsOnFirst: 12, seconds: 120, params: { choices: '0' } });
    expect(best.snapshots[best.snapshots.length - 1]?.counts).toEqual([2, 2, 2, 2, 2, 2]);
    expect([...best.moves.values()].reduce((n, m) => n + m.length, 0)).toBe(10);
    // The default best-of-two may make a correction or two (a drawn pair can miss the lightest).
    const two = simulate({ hosts: 6, jobsOnFirst: 12, seconds: 120 });
    expect(two.snapshots[two.snapshots.length - 1]?.counts).toEqual([2, 2, 2, 2, 2, 2]);
    expect([...two.moves.values()].reduce((n, m) => n + m.length, 0)).toBeLessThanOrEqual(12);
  });

  it('noisy load measurements: no job migrates more than twice in two minutes, none returns at once', () => {
    let seed = 12345;
    const noise = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed / 2 ** 31 - 0.5) * 1.2; // ±0.6 of a job
    };
    const { moves } = simulate({ hosts: 4, jobsOnFirst: 8, seconds: 120, noise });
    for (const [gpid, m] of moves) {
      expect(m.length, gpid).toBeLessThanOrEqual(2);
      for (let i = 1; i < m.length; i++) {
        const prev = m[i - 1];
        const cur = m[i];
        if (prev && cur) expect(cur.at - prev.at, gpid).toBeGreaterThanOrEqual(60_000);
      }
    }
  });
});

describe('drain planning', () => {
  const self = entry(host('h1', { draining: true, load: 4 }), { ageMs: 0, isSelf: true });
  const placers = (engine: PlacementEngine) => ({
    place: (req: Parameters<PlacementEngine['decide']>[0], hosts: readonly HostEntry[], exclude?: ReadonlySet<string>) => engine.decide(req, hosts, { exclude, reserve: true }),
    preview: (req: Parameters<PlacementEngine['decide']>[0], hosts: readonly HostEntry[], exclude?: ReadonlySet<string>) => engine.decide(req, hosts, { exclude, reserve: false }),
  });

  it('spreads the jobs, smallest first, a few at a time, and reports the stuck ones', () => {
    // spread=0: zinctask takes the single best host, so the plan is deterministic.
    const engine = makeEngine({ ...DEFAULT_CHAIN, scorer: { name: 'zinctask', params: { spread: '0' } } });
    const hosts = [self, entry(host('h2')), entry(host('h3')), entry(host('h4', { memFreeBytes: 512 * MiB }))];
    const jobs = [
      job('big', { imageBytes: 2 * GiB }),
      job('s1', { imageBytes: 10 * MiB }),
      job('s2', { imageBytes: 20 * MiB }),
      job('huge', { imageBytes: 64 * GiB }),
      job('ckpt', { state: 'checkpointed' }),
      job('on-the-way', { state: 'migrating' }),
    ];
    const plan = planDrain({ self, hosts, jobs, inFlight: new Set(), slots: 3, failure: () => undefined, retryMs: 10_000, now: T0, ...placers(engine) });
    expect(plan.moves.map((m) => m.gpid)).toEqual(['s1', 's2', 'big']);
    // The two small jobs spread (the first one's reservation counts); the big one does not fit h4.
    expect(plan.moves.map((m) => m.to)).toEqual(['h2', 'h3', 'h2']);
    expect(plan.moves[0]?.reason).toBe('drain: h1 is draining; h2 chosen by mem-fit,not-draining,domain > zinctask(spread=0)');
    expect(plan.moving).toEqual(['s1', 's2', 'on-the-way', 'big']);
    const stuck = Object.fromEntries(plan.stuck.map((s) => [s.gpid, s.reason]));
    expect(stuck.huge).toMatch(/^no host can take it: 4 hosts: 3 mem-fit \(e\.g\. free memory .* < 64\.0 GiB requested.*\), 1 excluded/);
    expect(stuck.ckpt).toBe('it is checkpointed; only running or stopped jobs can be migrated');
  });

  it('waits for free slots and backs off after a failure', () => {
    const engine = makeEngine();
    const hosts = [self, entry(host('h2'))];
    const plan = planDrain({
      self,
      hosts,
      jobs: [job('a'), job('b'), job('c')],
      inFlight: new Set(['a']),
      slots: 1,
      failure: (g) => (g === 'b' ? { atMs: T0 - 4000, reason: 'restore failed on h2' } : undefined),
      retryMs: 10_000,
      now: T0,
      ...placers(engine),
    });
    expect(plan.moves.map((m) => m.gpid)).toEqual(['c']);
    expect(plan.moving).toEqual(['a', 'c']);
    expect(plan.stuck).toEqual([{ gpid: 'b', reason: 'last move failed: restore failed on h2; retrying in 6 s' }]);
  });
});

describe('the balancer loop', () => {
  function loopSetup(selfState: Partial<HostState>, jobs: LocalJob[], chain = balancerOn()) {
    const clock = manualClock(T0);
    const engine = makeEngine(chain, clock.fn, 7, 'h1');
    const state = { self: host('h1', selfState), jobs, others: [host('h2'), host('h3')] };
    const calls: Array<{ gpid: string; to: string; reason: string }> = [];
    const pending: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
    const loop = new BalancerLoop({
      engine,
      clock: clock.fn,
      log: silent,
      intervalMs: 1000,
      inputs: () => {
        const self = entry(state.self, { ageMs: 0, isSelf: true });
        return { self, hosts: [self, ...state.others.map((o) => entry(o))], jobs: state.jobs };
      },
      migrate: (gpid, to, reason) => {
        calls.push({ gpid, to, reason });
        return new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
      },
    });
    return { clock, engine, state, calls, pending, loop };
  }

  it('does nothing while the balancer is off', async () => {
    const t = loopSetup({ load: 5 }, [job('a'), job('b')], DEFAULT_CHAIN);
    await t.loop.tick();
    expect(t.calls).toEqual([]);
  });

  it('starts one move, never a second while it runs, and reserves the target', async () => {
    const t = loopSetup({ load: 5 }, [job('a'), job('b')]);
    await t.loop.tick();
    expect(t.calls).toHaveLength(1);
    expect(t.calls[0]?.reason).toMatch(/^balancer: h1 load 5\.00\/core > threshold 1\.00; h2/);
    expect(t.engine.pending('h2').jobs).toBe(1);
    t.clock.now += 4000;
    await t.loop.tick();
    expect(t.calls).toHaveLength(1);
    t.pending[0]?.resolve();
    await t.loop.idle();
    t.state.jobs = [job('b')];
    await t.loop.tick();
    expect(t.calls).toHaveLength(2);
    expect(t.calls[1]?.to).toBe('h3');
  });

  it('a failed move is undone: the reservation dropped, the job backed off', async () => {
    const t = loopSetup({ load: 5 }, [job('a')]);
    await t.loop.tick();
    t.pending[0]?.reject(new Error('CRIU dump failed'));
    await t.loop.idle();
    expect(t.engine.pending('h2').jobs).toBe(0);
    expect(t.loop.history.failedAt('a')).toBe(T0);
    t.clock.now += 5000;
    await t.loop.tick();
    expect(t.calls).toHaveLength(1);
    expect(t.loop.lastDecision?.reason).toMatch(/1 failed to move recently$/);
  });

  it('drains with its own concurrency, reporting progress', async () => {
    const t = loopSetup({ load: 3, draining: true }, [job('a'), job('b'), job('c', { state: 'queued' })], DEFAULT_CHAIN);
    await t.loop.tick();
    expect(t.calls.map((c) => c.gpid)).toEqual(['a', 'b']);
    expect(new Set(t.calls.map((c) => c.to))).toEqual(new Set(['h2', 'h3']));
    expect(t.loop.drainReply('h1')).toEqual({
      host: 'h1',
      draining: true,
      moving: ['a', 'b'],
      stuck: ['c: it is queued; only running or stopped jobs can be migrated'],
    });
    t.state.self = { ...t.state.self, draining: false };
    await t.loop.tick();
    expect(t.loop.drainReply('h1')).toEqual({ host: 'h1', draining: false, moving: [], stuck: [] });
  });

  it('start and stop', async () => {
    const t = loopSetup({ load: 0 }, []);
    t.loop.start();
    t.loop.start();
    t.loop.stop();
    await t.loop.idle();
    expect(t.calls).toEqual([]);
  });
});
