/**
 * The experiment's configuration: one zod schema, validated at the edge (the JSON file), then
 * used as typed values everywhere. Every default is the seed's design (docs/experiment.md explains
 * each number); a configuration only states what differs.
 *
 * Times in `window` and the job classes are *real* seconds on this machine; `timeScale` says how
 * many seconds of the seed's world one real second stands for, and only the reports convert.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { applyChange, DEFAULT_CHAIN, type ChainSpec } from '../../daemon/placement/chain.js';
import { builtinRegistry } from '../../daemon/placement/builtin.js';
import { ZincError } from '../../daemon/common/zinc-error.js';
import { installRoot } from '../lab/paths.js';
import { RateText } from '../lab/topology.js';
import { ExperimentConfigError } from './errors.js';

/** The seed's test programs p1 and p2 (its tables 6.5 and 6.6): the two memory footprints, bytes. */
export const P1_BYTES = 5_335_040;
export const P2_BYTES = 26_306_560;

export const JOB_CLASSES = ['long', 'medium', 'short'] as const;
export type JobClass = (typeof JOB_CLASSES)[number];
export const MIGRATION_LEVELS = ['off', 'on'] as const;

/** The factors zinc-experiment knows, in the order the ANOVA table lists them. */
export const FACTORS = ['migration', 'placement', 'entry', 'majority'] as const;
export type FactorName = (typeof FACTORS)[number];

const DOMAIN_RE = /^[a-z][a-z0-9]{0,7}$/;
const LAB_NAME_RE = /^[a-z][a-z0-9]{0,11}$/;

const params = z.record(z.string(), z.string());

const DomainSpec = z
  .object({
    name: z.string().regex(DOMAIN_RE, 'a lower-case letter, then letters/digits, at most 8 characters'),
    /** Number of hosts in the domain (the lab allows 253 per domain; the simulator any number). */
    hosts: z.number().int().min(1).max(100_000),
    /** Relative CPU speed of each host, in (0, 1]; one number for all, or one per host. */
    speed: z.union([z.number().gt(0).lte(1), z.array(z.number().gt(0).lte(1)).min(1)]),
    /** Cores each host offers; its capacity is cores × speed CPUs. */
    cores: z.number().int().min(1).max(1024).default(1),
    /** Memory each host advertises to placement (simulator; the lab hosts report the machine's). */
    memGiB: z.number().positive().max(1 << 20).default(4),
    /** This domain's WAN link: rate, and one-way delay of the link (between two domains: the sum). */
    wan: z.object({ rate: RateText.default('100mbit'), delayMs: z.number().min(0).max(10_000).default(1) }).strict().prefault({}),
  })
  .strict()
  .refine((d) => !Array.isArray(d.speed) || d.speed.length === d.hosts, { message: 'speed: give one number, or exactly one per host', path: ['speed'] });

export const TopologySpec = z
  .object({
    domains: z.array(DomainSpec).min(1).max(250),
    lanRate: RateText.default('unlimited'),
  })
  .strict()
  .refine((t) => new Set(t.domains.map((d) => d.name)).size === t.domains.length, { message: 'domain names must be distinct', path: ['domains'] });
export type TopologySpec = z.output<typeof TopologySpec>;

/**
 * The seed's test-bed, scaled onto two cores (docs/experiment.md, "The lab"): three campus
 * domains of different size and power, and one across an intercontinental WAN link.
 */
export const SEED_TOPOLOGY: z.input<typeof TopologySpec> = {
  domains: [
    { name: 'frodo', hosts: 3, speed: 0.12, wan: { rate: '100mbit', delayMs: 1 } },
    { name: 'grid010', hosts: 2, speed: 0.2, wan: { rate: '100mbit', delayMs: 1 } },
    { name: 'aurora', hosts: 1, speed: 0.3, wan: { rate: '100mbit', delayMs: 1 } },
    { name: 'box0', hosts: 1, speed: 0.15, wan: { rate: '20mbit', delayMs: 100 } },
  ],
};
const SEED_ENTRIES = ['frodo', 'grid010', 'aurora'];

const range = z
  .tuple([z.number().positive(), z.number().positive()])
  .refine(([lo, hi]) => lo <= hi, { message: 'give [low, high] with low ≤ high' });

const JobClassSpec = z.object({ cpuSeconds: range }).strict();

const Arrivals = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('poisson'),
      /** Offered load ρ: arrival rate × mean CPU demand ÷ Σ host capacity. */
      offeredLoad: z.number().positive().max(100).optional(),
      /** Or a fixed rate, in jobs per scaled hour. */
      perScaledHour: z.number().positive().optional(),
    })
    .strict()
    .refine((a) => (a.offeredLoad === undefined) !== (a.perScaledHour === undefined), { message: 'give exactly one of offeredLoad and perScaledHour' }),
  z
    .object({
      kind: z.literal('swf'),
      /** An SWF trace; relative paths are resolved against the configuration file's directory. */
      file: z.string().min(1),
      /** Trace seconds are scaled seconds; compress > 1 squeezes them further (more arrivals per window). */
      compress: z.number().positive().default(1),
      /** Start this many trace seconds after the first submission in the trace. */
      skipSeconds: z.number().min(0).default(0),
    })
    .strict(),
]);
export type ArrivalsSpec = z.output<typeof Arrivals>;

const Workload = z
  .object({
    classes: z
      .object({ long: JobClassSpec, medium: JobClassSpec, short: JobClassSpec })
      .strict()
      .default({ long: { cpuSeconds: [2.5, 5] }, medium: { cpuSeconds: [1, 2] }, short: { cpuSeconds: [0.25, 0.5] } }),
    /** Share of the majority class; the other two classes split the rest equally. */
    majorityShare: z.number().gt(1 / 3).lt(1).default(0.7),
    /** Memory footprints (bytes) and how often each is drawn. */
    memory: z
      .object({
        sizes: z.array(z.number().int().min(4096).max(2 ** 40)).min(1).default([P1_BYTES, P2_BYTES]),
        weights: z.array(z.number().nonnegative()).min(1).default([0.5, 0.5]),
      })
      .strict()
      .refine((m) => m.sizes.length === m.weights.length, { message: 'give one weight per size', path: ['weights'] })
      .refine((m) => m.weights.some((w) => w > 0), { message: 'at least one weight must be positive', path: ['weights'] })
      .prefault({}),
    arrivals: Arrivals.prefault({ kind: 'poisson', offeredLoad: 1 }),
    /**
     * How many hosts of the entry domain take submissions, in turn (its first N): a domain's
     * submit nodes. Default: every host of the domain.
     */
    entryHostsPerDomain: z.number().int().min(1).optional(),
  })
  .strict();

const Window = z
  .object({
    /** Jobs arrive during [0, arrivalS). */
    arrivalS: z.number().positive().max(86_400).default(85),
    /** Completions before this are not counted (the grid starts empty). */
    warmupS: z.number().min(0).default(25),
    /** Throughput counts completions in [warmupS, cutoffS); default: the end of arrivals. */
    cutoffS: z.number().positive().optional(),
    /** After the last arrival, wait at most this long for the jobs to finish; then kill them. */
    drainLimitS: z.number().min(0).max(86_400).default(30),
  })
  .strict()
  .refine((w) => w.warmupS < (w.cutoffS ?? w.arrivalS), { message: 'warmupS must be less than the cut-off (cutoffS, or arrivalS)' })
  .refine((w) => (w.cutoffS ?? w.arrivalS) <= w.arrivalS + w.drainLimitS, { message: 'cutoffS must lie within arrivalS + drainLimitS' });

const Factors = z
  .object({
    migration: z.array(z.enum(MIGRATION_LEVELS)).min(1).default(['off', 'on']),
    placement: z.array(z.string().min(1)).min(1).default(['zinctask', 'random']),
    /** Domains where jobs enter; default: the seed's three campus domains, or every domain of a custom topology. */
    entry: z.array(z.string().regex(DOMAIN_RE)).min(1).optional(),
    majority: z.array(z.enum(JOB_CLASSES)).min(1).default(['long', 'medium', 'short']),
  })
  .strict();

const Policy = z
  .object({
    /**
     * Balancer parameters (zinc policy set --balancer-param), used whenever migration = on.
     * threshold and margin count runnable jobs per CPU of capacity; the seed lab's fastest host
     * has 0.3 CPU, so zinc's "more jobs than cores" (1) and margin 0.5 become 1/0.3 and 0.5/0.3.
     * The times are zinc's defaults divided by about three, for jobs that last seconds, not hours.
     */
    balancer: params.default({ threshold: '3.3', margin: '1.7', minAge: '3s', minInterval: '1s', cooldown: '20s', maxMoves: '2', window: '10m' }),
    /** Parameters per scorer, e.g. { "zinctask": { "memWeight": "0.25" } }. */
    scorers: z.record(z.string(), params).default({}),
  })
  .strict();

const Lab = z
  .object({
    /** Lab name: a lower-case letter then up to 11 letters/digits (distinct from other users' labs). */
    name: z.string().regex(LAB_NAME_RE, 'a lower-case letter, then up to 11 letters or digits').default('xexp'),
    /** Extra zincd flags for every host (e.g. "--gossip-interval", "500ms"). */
    daemonArgs: z.array(z.string()).default([]),
    /**
     * Σ cores × speed may not exceed this many CPUs: the rest of the machine runs zincd, CRIU and
     * the runner. Default 65 % of this machine's CPUs.
     */
    maxCapacityCpus: z.number().positive().optional(),
    /** How long to wait for every host to see every other one alive before a run. */
    convergeTimeoutS: z.number().positive().default(30),
  })
  .strict();

const Sim = z
  .object({
    gossipIntervalMs: z.number().positive().default(1000),
    /** How many gossip rounds old a record is when it is used, on average (Name Dropper's spread). */
    lagRounds: z.number().min(0).default(1.5),
    staleAfterRounds: z.number().int().positive().default(6),
    deadAfterRounds: z.number().int().positive().default(12),
    /** zincd's load smoothing time constant (HostProbe). */
    loadTauMs: z.number().positive().default(5000),
    /** Time from submit to the job running (shim, cgroup, exec). */
    startDelayMs: z.number().min(0).default(60),
    /**
     * Migration cost T = fixedMs + perRtt × RTT + bytes × (msPerMiB / MiB) + bytes × 8 / (efficiency × rate),
     * fitted by `zinc-experiment calibrate` (docs/experiment.md, "Calibration").
     */
    migration: z
      .object({
        fixedMs: z.number().min(0),
        perRtt: z.number().min(0),
        msPerMiB: z.number().min(0),
        efficiency: z.number().gt(0).lte(1),
        /** Where the numbers come from, for the report. */
        source: z.string().default(''),
      })
      .strict()
      .prefault({ fixedMs: 199, perRtt: 3.6, msPerMiB: 5.1, efficiency: 0.98, source: 'zinc-experiment calibrate seed: 24 migrations on the idle seed lab (docs/experiment.md)' }),
    /** LAN rate the simulator uses where the lab's is unlimited (measured: about 5 Gbit/s). */
    lanRateUnlimited: RateText.default('5gbit'),
  })
  .strict()
  .refine((s) => s.staleAfterRounds < s.deadAfterRounds, { message: 'staleAfterRounds must be less than deadAfterRounds' });

export const ExperimentConfigSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, ".", "_" or "-"').default('experiment'),
    description: z.string().default(''),
    mode: z.enum(['lab', 'sim']).default('lab'),
    seed: z.number().int().default(1),
    replications: z.number().int().min(1).max(1000).default(2),
    /** Seconds of the seed's world per real second (60: one real minute is one scaled hour). */
    timeScale: z.number().positive().max(1e6).default(60),
    // prefault: a missing section is parsed as {} so that the defaults inside it apply.
    topology: TopologySpec.prefault(SEED_TOPOLOGY),
    factors: Factors.prefault({}),
    workload: Workload.prefault({}),
    window: Window.prefault({}),
    policy: Policy.prefault({}),
    lab: Lab.prefault({}),
    sim: Sim.prefault({}),
  })
  .strict();

type Parsed = z.output<typeof ExperimentConfigSchema>;

/** A validated configuration, with the defaults that depend on other fields filled in. */
export interface ExperimentConfig extends Omit<Parsed, 'factors'> {
  readonly factors: {
    readonly migration: readonly ('off' | 'on')[];
    readonly placement: readonly string[];
    readonly entry: readonly string[];
    readonly majority: readonly JobClass[];
  };
  /** The file it was read from ('' for an object), to resolve relative paths (SWF traces). */
  readonly sourceDir: string;
}

/** Validates a parsed JSON value; throws ExperimentConfigError with the first problem, located. */
export function parseConfig(raw: unknown, source = 'configuration', sourceDir = process.cwd()): ExperimentConfig {
  const r = ExperimentConfigSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    const where = i && i.path.length ? i.path.join('.') : 'top level';
    const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more)` : '';
    throw new ExperimentConfigError(`${source}: ${where}: ${i?.message ?? 'invalid'}${more}`);
  }
  const c = r.data;
  const domains = c.topology.domains.map((d) => d.name);
  const usesSeedTopology = raw === null || typeof raw !== 'object' || !('topology' in raw);
  const entry = c.factors.entry ?? (usesSeedTopology ? SEED_ENTRIES : domains);
  for (const e of entry) {
    if (!domains.includes(e)) throw new ExperimentConfigError(`${source}: factors.entry: "${e}" is not a domain of the topology (${domains.join(', ')})`);
  }
  checkDistinct(source, 'factors.migration', c.factors.migration);
  checkDistinct(source, 'factors.placement', c.factors.placement);
  checkDistinct(source, 'factors.entry', entry);
  checkDistinct(source, 'factors.majority', c.factors.majority);
  const config: ExperimentConfig = { ...c, factors: { ...c.factors, entry }, sourceDir };
  // Every policy the design uses must compile with its parameters, exactly as zincd would.
  for (const scorer of config.factors.placement) {
    for (const migration of config.factors.migration) {
      try {
        chainFor(config, scorer, migration);
      } catch (err) {
        const msg = err instanceof ZincError ? err.toUserLine() : String(err);
        throw new ExperimentConfigError(`${source}: policy ${scorer} with migration ${migration}: ${msg}`);
      }
    }
  }
  return config;
}

function checkDistinct(source: string, what: string, xs: readonly string[]): void {
  const dup = xs.find((x, i) => xs.indexOf(x) !== i);
  if (dup !== undefined) throw new ExperimentConfigError(`${source}: ${what}: "${dup}" is listed twice`);
}

/** The policy chain a run uses: zincd's default filters, the scorer, the balancer on or off. */
export function chainFor(config: Pick<ExperimentConfig, 'policy'>, scorer: string, migration: 'off' | 'on'): ChainSpec {
  return applyChange(
    DEFAULT_CHAIN,
    {
      scorer,
      params: config.policy.scorers[scorer] ?? {},
      balancer: migration,
      balancerParams: config.policy.balancer,
    },
    builtinRegistry(),
  );
}

/** Where the shipped configurations live (the source tree; dist/ has no JSON). */
export function shippedConfigDir(): string {
  return join(installRoot(), 'infra', 'experiment', 'configs');
}

export const SHIPPED_CONFIGS = ['smoke', 'seed', 'placement', 'large-sim'] as const;

/** Reads CONFIG (a path to a JSON file, or the name of a shipped configuration) without validating it. */
export function readConfigFile(pathOrName: string): { raw: unknown; source: string; dir: string } {
  let path = pathOrName;
  if (!pathOrName.includes('/') && !pathOrName.endsWith('.json')) {
    path = join(shippedConfigDir(), `${pathOrName}.json`);
    if (!existsSync(path)) {
      throw new ExperimentConfigError(`no shipped configuration named "${pathOrName}"`, `Use one of ${SHIPPED_CONFIGS.join(', ')}, or give the path of a JSON file`);
    }
  }
  const abs = isAbsolute(path) ? path : resolve(path);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new ExperimentConfigError(`cannot read ${abs}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, `Give the path of an existing JSON file, or a shipped name (${SHIPPED_CONFIGS.join(', ')})`);
  }
  try {
    return { raw: JSON.parse(text), source: abs, dir: join(abs, '..') };
  } catch (err) {
    throw new ExperimentConfigError(`${abs} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Reads and validates CONFIG. */
export function loadConfig(pathOrName: string): ExperimentConfig {
  const f = readConfigFile(pathOrName);
  return parseConfig(f.raw, f.source, f.dir);
}

// ------------------------------------------------------------------------------------------------
// Derived facts
// ------------------------------------------------------------------------------------------------

export interface HostSpec {
  readonly id: string;
  readonly domain: string;
  readonly speed: number;
  readonly cores: number;
  readonly memBytes: number;
}

/** Every host, domain by domain, with the ids the lab gives them (<domain>-h<k>). */
export function hostsOf(topology: TopologySpec): HostSpec[] {
  return topology.domains.flatMap((d) =>
    Array.from({ length: d.hosts }, (_, k) => ({
      id: `${d.name}-h${k + 1}`,
      domain: d.name,
      speed: Array.isArray(d.speed) ? (d.speed[k] ?? 1) : d.speed,
      cores: d.cores,
      memBytes: Math.round(d.memGiB * 1024 ** 3),
    })),
  );
}

/** The hosts of `domain` that take submissions, in the order they take turns. */
export function entryHostsOf(config: Pick<ExperimentConfig, 'topology' | 'workload'>, domain: string): HostSpec[] {
  const all = hostsOf(config.topology).filter((h) => h.domain === domain);
  return all.slice(0, config.workload.entryHostsPerDomain ?? all.length);
}

/** Σ cores × speed: CPU-seconds the grid can do per second. */
export function totalCapacity(topology: TopologySpec): number {
  return hostsOf(topology).reduce((s, h) => s + h.cores * h.speed, 0);
}

/** Mean CPU demand (seconds at speed 1) of a job when `majority` is the majority class. */
export function meanDemandS(config: Pick<ExperimentConfig, 'workload'>, majority: JobClass): number {
  const w = config.workload;
  const other = (1 - w.majorityShare) / 2;
  return JOB_CLASSES.reduce((s, cls) => {
    const [lo, hi] = w.classes[cls].cpuSeconds;
    return s + (cls === majority ? w.majorityShare : other) * ((lo + hi) / 2);
  }, 0);
}

/** The throughput measurement window, real seconds from the first arrival. */
export function measureWindow(config: Pick<ExperimentConfig, 'window'>): { from: number; to: number } {
  return { from: config.window.warmupS, to: config.window.cutoffS ?? config.window.arrivalS };
}

/**
 * Whether the topology fits this machine as a lab: every host capped (speed < 1, since a host at
 * speed 1 gets no CPU quota and could use every core), at most 253 hosts per domain, and the sum
 * of capacities within what the machine can really give. Undefined if it fits, else why not.
 */
export function labFitProblem(config: ExperimentConfig, machineCpus = availableParallelism()): string | undefined {
  const hosts = hostsOf(config.topology);
  const uncapped = hosts.find((h) => h.speed >= 1);
  if (uncapped) return `host ${uncapped.id} has speed 1: the lab caps only hosts with speed < 1, so it could use all ${machineCpus} CPUs`;
  const big = config.topology.domains.find((d) => d.hosts > 253);
  if (big) return `domain ${big.name} has ${big.hosts} hosts; the lab allows 253 per domain (use --mode sim)`;
  const limit = config.lab.maxCapacityCpus ?? 0.65 * machineCpus;
  const cap = totalCapacity(config.topology);
  if (cap > limit + 1e-9) {
    return `Σ cores × speed = ${cap.toFixed(2)} CPUs, more than the ${limit.toFixed(2)} this machine can give the jobs (lab.maxCapacityCpus); measured throughput would mean nothing`;
  }
  return undefined;
}
