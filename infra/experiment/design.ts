/**
 * The experimental design: the full factorial of the configured factors' levels (every cell),
 * times the replications, run in one random order drawn from the seed.
 *
 * Randomised order (Montgomery, ch. 1): anything that drifts during a three-hour experiment
 * (the machine's other load, page cache, temperature) then spreads over all cells instead of
 * biasing the ones that happen to run late. Replication r of every cell uses the same random
 * streams for its workload (common random numbers, see workload/generator.ts), so cells are
 * compared on equal footing; runs stay independent across replications.
 */
import { deriveSeed, createPrng } from './common/prng.js';
import { FACTORS, type ExperimentConfig, type FactorName, type JobClass } from './config.js';

/** One combination of factor levels. */
export interface Cell {
  /** 0-based, in standard (mixed-radix, last factor fastest) order. */
  readonly index: number;
  readonly levels: Readonly<Record<FactorName, string>>;
  /** e.g. "migration=on placement=random entry=frodo majority=long". */
  readonly label: string;
}

export interface PlannedRun {
  /** 1-based position in the randomised order: the order runs are executed in. */
  readonly order: number;
  readonly cell: Cell;
  /** 1-based. */
  readonly replication: number;
  /** Seed of this run's workload: shared by every cell of the same replication. */
  readonly workloadSeed: number;
  /** Seed of everything else random in the run (random placement, the simulator's jitter). */
  readonly runSeed: number;
}

export interface Design {
  readonly factors: readonly FactorName[];
  readonly levels: Readonly<Record<FactorName, readonly string[]>>;
  /** Factors with at least two levels: the ones the ANOVA and the plots study. */
  readonly varied: readonly FactorName[];
  readonly cells: readonly Cell[];
  readonly replications: number;
  readonly runs: readonly PlannedRun[];
}

export function levelsOf(config: Pick<ExperimentConfig, 'factors'>): Record<FactorName, readonly string[]> {
  return {
    migration: config.factors.migration,
    placement: config.factors.placement,
    entry: config.factors.entry,
    majority: config.factors.majority,
  };
}

/** Every cell of the full factorial, last factor varying fastest. */
export function cellsOf(levels: Readonly<Record<FactorName, readonly string[]>>): Cell[] {
  const radix = FACTORS.map((f) => levels[f].length);
  const count = radix.reduce((a, b) => a * b, 1);
  const cells: Cell[] = [];
  for (let index = 0; index < count; index++) {
    let rest = index;
    const picked = new Array<string>(FACTORS.length);
    for (let f = FACTORS.length - 1; f >= 0; f--) {
      const r = radix[f] ?? 1;
      picked[f] = levels[FACTORS[f] as FactorName][rest % r] ?? '';
      rest = Math.floor(rest / r);
    }
    const lv = Object.fromEntries(FACTORS.map((f, i) => [f, picked[i] ?? ''])) as Record<FactorName, string>;
    cells.push({ index, levels: lv, label: FACTORS.map((f) => `${f}=${lv[f]}`).join(' ') });
  }
  return cells;
}

/** Fisher–Yates with the seeded generator: every order equally likely, the same for the same seed. */
export function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  const prng = createPrng(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = prng.int(i + 1);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

export function makeDesign(config: Pick<ExperimentConfig, 'factors' | 'replications' | 'seed'>): Design {
  const levels = levelsOf(config);
  const cells = cellsOf(levels);
  const pairs: Array<{ cell: Cell; replication: number }> = [];
  for (let r = 1; r <= config.replications; r++) for (const cell of cells) pairs.push({ cell, replication: r });
  const order = shuffled(pairs, deriveSeed(config.seed, 'run-order'));
  const runs = order.map((p, i) => ({
    order: i + 1,
    cell: p.cell,
    replication: p.replication,
    workloadSeed: deriveSeed(config.seed, 'workload', p.replication),
    runSeed: deriveSeed(config.seed, 'run', p.cell.index, p.replication),
  }));
  return {
    factors: FACTORS,
    levels,
    varied: FACTORS.filter((f) => levels[f].length >= 2),
    cells,
    replications: config.replications,
    runs,
  };
}

export function majorityOf(cell: Cell): JobClass {
  return cell.levels.majority as JobClass;
}
