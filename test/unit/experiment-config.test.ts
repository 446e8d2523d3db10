/** zinc-experiment's configuration: defaults are the seed's design, and bad input fails clearly. */
import { describe, expect, it } from 'vitest';
import {
  FACTORS,
  P1_BYTES,
  P2_BYTES,
  SHIPPED_CONFIGS,
  chainFor,
  hostsOf,
  labFitProblem,
  loadConfig,
  meanDemandS,
  parseConfig,
  totalCapacity,
} from '../../infra/experiment/config.js';
import { ExperimentConfigError } from '../../infra/experiment/errors.js';

function error(raw: unknown): string {
  try {
    parseConfig(raw, 'test.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ExperimentConfigError);
    expect((err as ExperimentConfigError).code).toBe('EXPERIMENT_CONFIG_INVALID');
    expect((err as ExperimentConfigError).hint).toBeTruthy();
    return (err as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('defaults', () => {
  const c = parseConfig({});

  it('are the seed\'s four factors with at least two replications', () => {
    expect(c.replications).toBeGreaterThanOrEqual(2);
    expect(c.factors).toEqual({
      migration: ['off', 'on'],
      placement: ['zinctask', 'random'],
      entry: ['frodo', 'grid010', 'aurora'],
      majority: ['long', 'medium', 'short'],
    });
    expect(FACTORS).toEqual(['migration', 'placement', 'entry', 'majority']);
  });

  it('use the seed\'s test programs p1 and p2 as footprints and a 70/15/15 mix', () => {
    expect(c.workload.memory.sizes).toEqual([P1_BYTES, P2_BYTES]);
    expect(P1_BYTES).toBe(5335040);
    expect(P2_BYTES).toBe(26306560);
    expect(c.workload.majorityShare).toBe(0.7);
  });

  it('describe a four-domain lab that fits this machine', () => {
    expect(c.topology.domains.map((d) => d.name)).toEqual(['frodo', 'grid010', 'aurora', 'box0']);
    expect(hostsOf(c.topology)).toHaveLength(7);
    expect(totalCapacity(c.topology)).toBeCloseTo(3 * 0.12 + 2 * 0.2 + 0.3 + 0.15, 10);
    expect(labFitProblem(c, 2)).toBeUndefined();
  });

  it('derive the mean demand from the class mix', () => {
    // long 2.5–5 (3.75), medium 1–2 (1.5), short 0.25–0.5 (0.375)
    expect(meanDemandS(c, 'long')).toBeCloseTo(0.7 * 3.75 + 0.15 * 1.5 + 0.15 * 0.375, 10);
    expect(meanDemandS(c, 'short')).toBeCloseTo(0.7 * 0.375 + 0.15 * 3.75 + 0.15 * 1.5, 10);
  });

  it('compile to the chain zincd would run', () => {
    const on = chainFor(c, 'random', 'on');
    expect(on.scorer.name).toBe('random');
    expect(on.balancer.enabled).toBe(true);
    expect(on.balancer.params.threshold).toBe('3.3');
    expect(chainFor(c, 'zinctask', 'off').balancer.enabled).toBe(false);
  });
});

describe('shipped configurations', () => {
  for (const name of SHIPPED_CONFIGS) {
    it(`${name} validates`, () => {
      const c = loadConfig(name);
      expect(c.name).toBe(name);
      expect(c.replications).toBeGreaterThanOrEqual(2);
    });
  }

  it('smoke and seed fit the two-core lab; large-sim has 1,000+ hosts', () => {
    expect(labFitProblem(loadConfig('smoke'), 2)).toBeUndefined();
    expect(labFitProblem(loadConfig('seed'), 2)).toBeUndefined();
    const large = loadConfig('large-sim');
    expect(large.mode).toBe('sim');
    expect(hostsOf(large.topology).length).toBeGreaterThanOrEqual(1000);
    expect(labFitProblem(large, 2)).toMatch(/speed 1|253 per domain|more than/);
  });

  it('the seed configuration is the full 2 × 2 × 3 × 3 design', () => {
    const s = loadConfig('seed');
    expect(s.factors.migration.length * s.factors.placement.length * s.factors.entry.length * s.factors.majority.length).toBe(36);
  });
});

describe('errors name the field and the problem', () => {
  it('unknown keys', () => {
    expect(error({ replicatoins: 3 })).toMatch(/replicatoins|Unrecognized/);
  });

  it('an entry level that is not a domain', () => {
    expect(error({ factors: { entry: ['mordor'] } })).toMatch(/factors\.entry: "mordor" is not a domain/);
  });

  it('a level listed twice', () => {
    expect(error({ factors: { majority: ['long', 'long'] } })).toMatch(/factors\.majority: "long" is listed twice/);
  });

  it('an unknown placement policy', () => {
    expect(error({ factors: { placement: ['clairvoyant'] } })).toMatch(/policy clairvoyant/);
  });

  it('an unknown balancer parameter', () => {
    expect(error({ policy: { balancer: { treshold: '2' } } })).toMatch(/treshold/);
  });

  it('a bad majority level and a bad rate', () => {
    expect(error({ factors: { majority: ['huge'] } })).toMatch(/factors\.majority\.0/);
    expect(error({ topology: { domains: [{ name: 'a', hosts: 1, speed: 0.5, wan: { rate: '10mbps' } }] } })).toMatch(/rate like/);
  });

  it('windows that contradict each other', () => {
    expect(error({ window: { arrivalS: 10, warmupS: 20 } })).toMatch(/warmupS must be less/);
  });

  it('both or neither of offeredLoad and perScaledHour', () => {
    expect(error({ workload: { arrivals: { kind: 'poisson', offeredLoad: 1, perScaledHour: 3 } } })).toMatch(/exactly one/);
    expect(error({ workload: { arrivals: { kind: 'poisson' } } })).toMatch(/exactly one/);
  });

  it('per-host speeds of the wrong length', () => {
    expect(error({ topology: { domains: [{ name: 'a', hosts: 2, speed: [0.5] }] } })).toMatch(/one per host/);
  });

  it('a missing shipped configuration', () => {
    expect(() => loadConfig('nope')).toThrow(/no shipped configuration named "nope"/);
  });
});

describe('what fits the lab', () => {
  it('refuses more capacity than the machine can give, and uncapped hosts', () => {
    const big = parseConfig({ topology: { domains: [{ name: 'a', hosts: 4, speed: 0.5 }] }, factors: { entry: ['a'] } });
    expect(labFitProblem(big, 2)).toMatch(/2\.00 CPUs, more than the 1\.30/);
    const uncapped = parseConfig({ topology: { domains: [{ name: 'a', hosts: 1, speed: 1 }] } });
    expect(labFitProblem(uncapped, 2)).toMatch(/speed 1/);
  });
});
