/**
 * The active chain: filters, then one scorer, plus the balancer's switch and params. It is a plain
 * value (the engine compiles it), versioned (every change bumps `version`), and round-trips
 * through JSON for <state>/policy.json. Params are stored as the user's overrides only, so that a
 * new zinc version's better defaults apply to everyone who did not choose otherwise.
 */
import { z } from 'zod';
import type { PolicyChain } from '../../proto/generated/zinc/v1/PolicyChain.js';
import {
  PolicyChainInvalidError,
  PolicyNotInChainError,
  PolicyParamAmbiguousError,
  PolicyParamUnknownError,
} from './errors.js';
import type { BoundBalancer, BoundFilter, BoundScorer } from './plugin.js';
import type { PolicyRegistry } from './registry.js';

export type Params = Readonly<Record<string, string>>;

export interface StageSpec {
  readonly name: string;
  /** Overrides of the plugin's defaults. */
  readonly params: Params;
}

export interface ChainSpec {
  readonly filters: readonly StageSpec[];
  readonly scorer: StageSpec;
  readonly balancer: { readonly enabled: boolean; readonly params: Params };
  readonly version: number;
}

export const DEFAULT_CHAIN: ChainSpec = Object.freeze({
  filters: [
    { name: 'mem-fit', params: {} },
    { name: 'not-draining', params: {} },
    { name: 'domain', params: {} },
  ],
  scorer: { name: 'zinctask', params: {} },
  balancer: { enabled: false, params: {} },
  version: 1,
});

/** A chain bound to its plugins with validated params: what the engine runs. */
export interface CompiledChain {
  readonly spec: ChainSpec;
  readonly filters: readonly BoundFilter[];
  readonly scorer: BoundScorer;
  readonly balancer: BoundBalancer;
  /** e.g. "mem-fit,not-draining,domain > zinctask(memWeight=0.5)". */
  readonly text: string;
}

/**
 * Validates every name and param. With `previous`, a scorer that stays the same keeps its state
 * (round-robin's cursor survives a param change; a switch to another scorer starts afresh).
 */
export function compileChain(spec: ChainSpec, registry: PolicyRegistry, previous?: CompiledChain): CompiledChain {
  const seen = new Set<string>();
  for (const f of spec.filters) {
    if (seen.has(f.name)) throw new PolicyChainInvalidError(`filter "${f.name}" appears twice`);
    seen.add(f.name);
  }
  const filters = spec.filters.map((f) => registry.filter(f.name).bind(f.params));
  const scorer =
    previous && previous.scorer.name === spec.scorer.name ? previous.scorer.rebind(spec.scorer.params) : registry.scorer(spec.scorer.name).bind(spec.scorer.params);
  const balancer = registry.balancer().bind(spec.balancer.params);
  return { spec, filters, scorer, balancer, text: describeChain(spec) };
}

export function describeChain(spec: ChainSpec): string {
  const stage = (s: StageSpec) => {
    const p = Object.entries(s.params);
    return p.length ? `${s.name}(${p.map(([k, v]) => `${k}=${v}`).join(',')})` : s.name;
  };
  const filters = spec.filters.map(stage).join(',');
  return `${filters ? `${filters} > ` : ''}${stage(spec.scorer)}`;
}

// ------------------------------------------------------------------------------------------------
// Changes (zinc policy set)
// ------------------------------------------------------------------------------------------------

export interface ChainChange {
  /** New scorer; undefined keeps the current one. */
  readonly scorer?: string;
  /** New filter list (may be empty); undefined keeps the current one. */
  readonly filters?: readonly string[];
  /** "name.key" or "key" (resolved to the one stage that declares it); "" resets to the default. */
  readonly params?: Params;
  readonly balancer?: 'on' | 'off';
  /** "" resets to the default. */
  readonly balancerParams?: Params;
}

/**
 * The chain after `change`, validated, with version + 1. A scorer switch drops the old scorer's
 * params; filters that stay keep theirs. Throws (and changes nothing) on any invalid part.
 */
export function applyChange(chain: ChainSpec, change: ChainChange, registry: PolicyRegistry): ChainSpec {
  const scorerName = change.scorer || chain.scorer.name;
  registry.scorer(scorerName);
  const filterNames = change.filters ?? chain.filters.map((f) => f.name);
  for (const n of filterNames) registry.filter(n);
  const keep = new Map(chain.filters.map((f) => [f.name, f.params]));
  const params = new Map<string, Record<string, string>>();
  for (const n of filterNames) params.set(n, { ...(keep.get(n) ?? {}) });
  params.set(scorerName, scorerName === chain.scorer.name ? { ...chain.scorer.params } : {});

  const stageOrder = [scorerName, ...filterNames];
  for (const [rawKey, value] of Object.entries(change.params ?? {})) {
    const { stage, key } = resolveParam(rawKey, stageOrder, registry, `${filterNames.join(',')} > ${scorerName}`);
    const p = params.get(stage) ?? {};
    if (value === '') delete p[key];
    else p[key] = value;
    params.set(stage, p);
  }

  const balancerParams: Record<string, string> = { ...chain.balancer.params };
  for (const [key, value] of Object.entries(change.balancerParams ?? {})) {
    const b = registry.balancer();
    if (!Object.hasOwn(b.defaults, key)) throw new PolicyParamUnknownError(b.name, key, Object.keys(b.defaults));
    if (value === '') delete balancerParams[key];
    else balancerParams[key] = value;
  }

  const next: ChainSpec = {
    filters: filterNames.map((name) => ({ name, params: params.get(name) ?? {} })),
    scorer: { name: scorerName, params: params.get(scorerName) ?? {} },
    balancer: { enabled: change.balancer ? change.balancer === 'on' : chain.balancer.enabled, params: balancerParams },
    version: chain.version + 1,
  };
  const compiled = compileChain(next, registry);
  // Store the overrides as the plugins normalised them (defaults given explicitly are dropped).
  return {
    filters: compiled.filters.map((f) => ({ name: f.name, params: f.overrides })),
    scorer: { name: compiled.scorer.name, params: compiled.scorer.overrides },
    balancer: { enabled: next.balancer.enabled, params: compiled.balancer.overrides },
    version: next.version,
  };
}

function resolveParam(rawKey: string, stages: readonly string[], registry: PolicyRegistry, chainText: string): { stage: string; key: string } {
  const dot = rawKey.indexOf('.');
  if (dot > 0) {
    const stage = rawKey.slice(0, dot);
    const key = rawKey.slice(dot + 1);
    if (!stages.includes(stage)) throw new PolicyNotInChainError(stage, chainText);
    const def = registry.get(stage);
    if (def && !Object.hasOwn(def.defaults, key)) throw new PolicyParamUnknownError(stage, key, Object.keys(def.defaults));
    return { stage, key };
  }
  const owners = stages.filter((s) => Object.hasOwn(registry.get(s)?.defaults ?? {}, rawKey));
  if (owners.length === 1 && owners[0] !== undefined) return { stage: owners[0], key: rawKey };
  if (owners.length > 1) throw new PolicyParamAmbiguousError(rawKey, owners);
  const known = stages.flatMap((s) => Object.keys(registry.get(s)?.defaults ?? {}).map((k) => `${s}.${k}`));
  throw new PolicyParamUnknownError(`the chain (${chainText})`, rawKey, known);
}

// ------------------------------------------------------------------------------------------------
// JSON (policy.json) and wire
// ------------------------------------------------------------------------------------------------

const paramsSchema = z.record(z.string(), z.string());
const stageSchema = z.object({ name: z.string().min(1), params: paramsSchema.default({}) }).strict();
const chainJsonSchema = z
  .object({
    format: z.literal(1),
    version: z.number().int().nonnegative(),
    filters: z.array(stageSchema),
    scorer: stageSchema,
    balancer: z.object({ enabled: z.boolean(), params: paramsSchema.default({}) }).strict(),
  })
  .strict();

export type ChainJson = z.input<typeof chainJsonSchema>;

export function chainToJSON(chain: ChainSpec): ChainJson {
  return {
    format: 1,
    version: chain.version,
    filters: chain.filters.map((f) => ({ name: f.name, params: { ...f.params } })),
    scorer: { name: chain.scorer.name, params: { ...chain.scorer.params } },
    balancer: { enabled: chain.balancer.enabled, params: { ...chain.balancer.params } },
  };
}

/**
 * A chain read back from disk: structure by zod, names and params by compiling it. Throws
 * PolicyChainInvalidError or a param error; the daemon then keeps the default chain and says so.
 */
export function chainFromJSON(value: unknown, registry: PolicyRegistry): ChainSpec {
  const r = chainJsonSchema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new PolicyChainInvalidError(`${i?.path.join('.') || 'top level'}: ${i?.message ?? 'malformed'}`);
  }
  const spec: ChainSpec = {
    filters: r.data.filters,
    scorer: r.data.scorer,
    balancer: r.data.balancer,
    version: r.data.version,
  };
  compileChain(spec, registry);
  return spec;
}

/** The chain as `zinc policy show` displays it: effective params (defaults merged in). */
export function chainToWire(compiled: CompiledChain): PolicyChain {
  return {
    filters: compiled.filters.map((f) => ({ name: f.name, params: { ...f.effective } })),
    scorer: { name: compiled.scorer.name, params: { ...compiled.scorer.effective } },
    balancerEnabled: compiled.spec.balancer.enabled,
    balancerParams: { ...compiled.balancer.effective },
    version: compiled.spec.version,
  };
}
