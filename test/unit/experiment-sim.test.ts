/**
 * The discrete-event simulator: exact processor sharing, migration spreading an overloaded
 * domain's load, the calibrated migration-cost model, and 1,000+ hosts in seconds.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig, readConfigFile } from '../../infra/experiment/config.js';
import { makeDesign, type Cell } from '../../infra/experiment/design.js';
import { workloadFor } from '../../infra/experiment/experiment.js';
import { computeMeasures } from '../../infra/experiment/measures.js';
import { EventQueue } from '../../infra/experiment/sim/event-queue.js';
import { fitMigrationModel, migrationMs, type MigrationModel } from '../../infra/experiment/sim/migration-cost.js';
import { Network } from '../../infra/experiment/sim/network.js';
import { simulateRun } from '../../infra/experiment/sim/simulate.js';
import type { GeneratedJob, Workload } from '../../infra/experiment/workload/generator.js';

const cell = (levels: Cell['levels']): Cell => ({ index: 0, levels, label: Object.values(levels).join(' ') });
const workload = (jobs: GeneratedJob[]): Workload => ({ jobs, majority: 'long', expectedDemandS: 1, ratePerS: null, arrivalsText: 'test' });

describe('event queue', () => {
  it('pops in time order, ties in insertion order', () => {
    const q = new EventQueue<string>();
    q.push(5, 'c');
    q.push(1, 'a');
    q.push(5, 'd');
    q.push(2, 'b');
    q.push(0.5, 'first');
    const out: string[] = [];
    for (let e = q.pop(); e; e = q.pop()) out.push(e.event);
    expect(out).toEqual(['first', 'a', 'b', 'c', 'd']);
  });
});

describe('processor sharing on one host', () => {
  const config = parseConfig({
    mode: 'sim',
    topology: { domains: [{ name: 'd1', hosts: 1, speed: 0.5 }] },
    factors: { entry: ['d1'] },
    window: { arrivalS: 10, warmupS: 1, drainLimitS: 60 },
    sim: { startDelayMs: 0 },
  });
  const run = { cell: cell({ migration: 'off', placement: 'zinctask', entry: 'd1', majority: 'long' }), runSeed: 1 };

  it('a job alone runs at the host speed; two share it equally', () => {
    const r = simulateRun({
      config,
      run,
      workload: workload([
        { id: 1, cls: 'long', cpuMs: 1000, memBytes: 1, arrivalMs: 0 },
        { id: 2, cls: 'long', cpuMs: 1000, memBytes: 1, arrivalMs: 0 },
        { id: 3, cls: 'long', cpuMs: 500, memBytes: 1, arrivalMs: 10_000 },
      ]),
    });
    const end = (id: number): number | null => r.outcomes.find((o) => o.id === id)?.endedMs ?? null;
    // Two 1000 ms jobs at 0.25 CPU each end at 4 s; the third, alone at 0.5 CPU, 1 s after it arrives.
    expect(end(1)).toBeCloseTo(4000, 6);
    expect(end(2)).toBeCloseTo(4000, 6);
    expect(end(3)).toBeCloseTo(11_000, 6);
    expect(r.outcomes.every((o) => o.fate === 'completed')).toBe(true);
  });

  it('staggered arrivals: the first job gets the CPU alone until the second arrives', () => {
    const r = simulateRun({
      config,
      run,
      workload: workload([
        { id: 1, cls: 'long', cpuMs: 1000, memBytes: 1, arrivalMs: 0 },
        { id: 2, cls: 'long', cpuMs: 1000, memBytes: 1, arrivalMs: 1000 },
      ]),
    });
    // Job 1: 500 ms of CPU alone in the first second, then 500 more at 0.25 → ends at 3 s. Job 2 has
    // 500 left then, alone at 0.5 → ends at 4 s.
    expect(r.outcomes[0]?.endedMs).toBeCloseTo(3000, 6);
    expect(r.outcomes[1]?.endedMs).toBeCloseTo(4000, 6);
  });
});

describe('preemptive migration spreads an overloaded domain\'s load', () => {
  // One slow domain where every job enters; a fast domain next door. Random placement leaves some
  // hosts with several jobs and others idle; the balancer should move work to the idle hosts.
  const raw = {
    mode: 'sim',
    topology: {
      domains: [
        { name: 'd1', hosts: 4, speed: 0.5, wan: { rate: '100mbit', delayMs: 1 } },
        { name: 'd2', hosts: 4, speed: 0.5, wan: { rate: '100mbit', delayMs: 1 } },
      ],
    },
    factors: { entry: ['d1'] },
    window: { arrivalS: 1, warmupS: 0.5, drainLimitS: 600 },
    policy: { balancer: { threshold: '2.5', margin: '1', minAge: '1s', minInterval: '1s', cooldown: '20s', maxMoves: '2', window: '10m' } },
  };
  const config = parseConfig(raw);
  const jobs = Array.from({ length: 24 }, (_, i): GeneratedJob => ({ id: i + 1, cls: 'long', cpuMs: 8000, memBytes: 5335040, arrivalMs: i * 20 }));

  for (const placement of ['random', 'zinctask']) {
    it(`${placement}: with migration on, work moves to idle hosts and the last job ends sooner`, () => {
      let shorter = 0;
      for (let seed = 1; seed <= 5; seed++) {
        const res = (migration: 'off' | 'on') =>
          simulateRun({ config, run: { cell: cell({ migration, placement, entry: 'd1', majority: 'long' }), runSeed: seed }, workload: workload(jobs) });
        const off = res('off');
        const on = res('on');
        const last = (r: typeof off): number => Math.max(...r.outcomes.map((o) => o.endedMs ?? Infinity));
        expect(off.outcomes.every((o) => o.fate === 'completed')).toBe(true);
        expect(on.outcomes.every((o) => o.fate === 'completed')).toBe(true);
        expect(off.migrations).toHaveLength(0);
        if (placement === 'random') expect(on.migrations.length).toBeGreaterThan(0);
        if (last(on) < last(off)) shorter++;
        // Hosts of the other domain end up running jobs either way (placement or migration).
        expect(new Set(on.outcomes.map((o) => o.finalHost.split('-')[0])).size).toBe(2);
      }
      if (placement === 'random') expect(shorter).toBeGreaterThanOrEqual(4);
    });
  }
});

describe('migration-cost model', () => {
  const truth: MigrationModel = { fixedMs: 200, perRtt: 4, msPerMiB: 5, efficiency: 0.9, source: 'truth' };
  const MiB = 1048576;

  it('predicts LAN, WAN and long-haul downtimes from the path', () => {
    const net = new Network(parseConfig({}).topology, '5gbit');
    const lan = migrationMs(truth, 25 * MiB, net.path('frodo', 'frodo'));
    const wan = migrationMs(truth, 25 * MiB, net.path('frodo', 'aurora'));
    const far = migrationMs(truth, 25 * MiB, net.path('frodo', 'box0'));
    expect(lan).toBeLessThan(wan);
    expect(wan).toBeLessThan(far);
    // 25 MiB over a 20 Mbit/s bottleneck at 90 %: about 11.7 s of wire time alone.
    expect(far).toBeGreaterThan(11_000);
  });

  it('calibration recovers the coefficients from noisy measurements', () => {
    const paths = [
      { rateBps: 5e9, rttMs: 0.2 },
      { rateBps: 1e8, rttMs: 4.2 },
      { rateBps: 2e7, rttMs: 202 },
      { rateBps: 1e7, rttMs: 80 },
    ];
    let k = 0;
    const samples = paths.flatMap((p) =>
      [5, 25].flatMap((mib) =>
        [0, 1, 2].map(() => {
          const noise = ((k++ * 37) % 11) - 5; // deterministic ±5 ms
          return { bytes: mib * MiB, ...p, ms: migrationMs(truth, mib * MiB, p) + noise };
        }),
      ),
    );
    const fit = fitMigrationModel(samples, 'test');
    expect(fit.model.fixedMs).toBeGreaterThan(180);
    expect(fit.model.fixedMs).toBeLessThan(220);
    expect(fit.model.perRtt).toBeCloseTo(4, 0);
    expect(fit.model.msPerMiB).toBeCloseTo(5, 0);
    expect(fit.model.efficiency).toBeCloseTo(0.9, 2);
    expect(fit.r2).toBeGreaterThan(0.999);
  });

  it('keeps coefficients non-negative and efficiency at most 1', () => {
    const samples = [0.2, 4, 200].flatMap((rtt) => [5, 25].map((mib) => ({ bytes: mib * MiB, rateBps: 1e8, rttMs: rtt, ms: 100 + (mib * MiB * 8 * 1000) / 2e8 })));
    const fit = fitMigrationModel(samples, 'test');
    for (const v of [fit.model.fixedMs, fit.model.perRtt, fit.model.msPerMiB]) expect(v).toBeGreaterThanOrEqual(0);
    expect(fit.model.efficiency).toBeLessThanOrEqual(1);
  });

  it('refuses to fit too few measurements', () => {
    expect(() => fitMigrationModel([{ bytes: 1, rateBps: 1, rttMs: 1, ms: 1 }], 'x')).toThrow(/too few/);
  });
});

describe('1,000+ hosts', () => {
  it('a large-sim run takes seconds, not minutes', () => {
    const f = readConfigFile('large-sim');
    const config = parseConfig({ ...(f.raw as object), window: { arrivalS: 10, warmupS: 2, drainLimitS: 10 } }, f.source, f.dir);
    const run = makeDesign(config).runs.find((r) => r.cell.levels.migration === 'on' && r.cell.levels.placement === 'zinctask');
    if (!run) throw new Error('no run');
    const w = workloadFor(config, run, undefined);
    const t0 = performance.now();
    const r = simulateRun({ config, run, workload: w });
    const ms = performance.now() - t0;
    expect(w.jobs.length).toBeGreaterThan(1000);
    const m = computeMeasures(r.outcomes, { timeScale: 60, windowMs: { from: 2000, to: 10_000 }, capacity: 1, bestRate: 1, stoppedMs: r.stoppedMs });
    expect(m.completed).toBeGreaterThan(0);
    expect(r.migrations.length).toBeGreaterThan(0);
    console.log(`large-sim, 10 s of arrivals: ${w.jobs.length} jobs on 1,024 hosts, ${r.events} events, ${r.migrations.length} migrations, ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(20_000);
  }, 60_000);

  it('the shipped large-sim configuration has more than 1,000 hosts', () => {
    const c = loadConfig('large-sim');
    expect(c.topology.domains.reduce((n, d) => n + d.hosts, 0)).toBeGreaterThanOrEqual(1000);
  });
});
