/**
 * The placement plugin contract (Kerrighed-style: small components, registered by name, stacked
 * into a chain and swapped at run time).
 *
 * A chain is: filters (each may veto a host) → one scorer (ranks the survivors and picks one),
 * plus the balancer (decides preemptive migrations). Plugins are plain objects written with
 * `defineFilter` / `defineScorer` / `defineBalancer`; the registry stores them type-erased, and
 * binding a plugin to its validated params happens once per chain change, not per decision.
 *
 * Hooks, when they run and what they must not do:
 * - `filter(host, request, ctx)`: once per host per decision, in chain order, until one says no.
 *   Cheap and allocation-free on the pass path (return `PASS`): it runs for every host of a
 *   10,000-host view. The `reason` names the fact that failed, with numbers (give a function
 *   if formatting them is costly: it runs only when the reason is read).
 * - `score(host, request, ctx)`: once per host that passed every filter. Higher is better.
 *   `factors` are the inputs (numbers stay numbers; they are formatted only when shown).
 * - `factors(host, request, ctx)` (optional): the same factors, computed on demand instead of in
 *   `score`, for scorers with many of them: a decision keeps every scored host until it returns,
 *   and eight numbers per host for 10,000 hosts is most of a decision's cost in garbage
 *   collection. `ctx.pending` then answers as it did during the decision.
 *   A score of -Infinity means the scorer refuses the host (e.g. too stale); `reason` says why.
 * - `pick(scored, ctx)`: once per decision, when at least one host was scored; `scored` is in
 *   view order (unsorted). Default: highest score, ties to the smallest host name, so decisions
 *   are deterministic. Random and round-robin override it.
 * - `explain(candidate, winner, ctx)`: for `zinc show`: why the candidate lost to the winner
 *   (or, for the winner itself, why it won). Called lazily, only for the candidates someone
 *   reads (a 10,000-host decision would otherwise spend most of its time writing sentences),
 *   possibly after later decisions: it must depend on its arguments and params only.
 * - `balance(input, ctx)`: the balancer's one hook, called by the balancer loop every tick on the
 *   host that might shed a job; it proposes at most one migration, or none with the reason.
 *
 * Every hook is pure apart from the scorer's own `state` (round-robin's cursor): no I/O, time
 * from `ctx.now`, randomness from `ctx.rng`.
 */
import type { z } from 'zod';
import type { HostState } from '../discovery/host-state.js';
import type { ViewEntry } from '../discovery/nd-record.js';
import type { BalanceDecision, BalanceInput } from '../balancer/types.js';
import { parseParams } from './params.js';

/** One host as this host knows it: the gossiped record, its status and age. */
export type HostEntry = ViewEntry<HostState>;

export interface PlacementRequest {
  /** Memory the job asked for (--mem), bytes; 0 = not given. */
  readonly memBytes: number;
  /** --domain: only hosts of this domain; '' = any. */
  readonly domain: string;
  /** Runnable threads the job is expected to add; default 1 (CPU-bound, single-threaded). */
  readonly cpus?: number;
  readonly gpid?: string;
  /** The host that decides (the one the user submitted to). */
  readonly entryHost: string;
}

/** What this host placed on `host` that the host's gossiped record does not show yet. */
export interface Pending {
  readonly jobs: number;
  readonly cpus: number;
  readonly memBytes: number;
}

export const NO_PENDING: Pending = Object.freeze({ jobs: 0, cpus: 0, memBytes: 0 });

const NO_FACTORS: Factors = Object.freeze({});

/** Per-decision facts every hook may use. */
export interface DecisionEnv {
  readonly now: number;
  /** Uniform in [0, 1), injected (seeded in simulators and tests). */
  readonly rng: () => number;
  /** Stampede accounting: placements made here that `host`'s record does not reflect yet. */
  pending(host: string): Pending;
  readonly selfHost: string;
  /** The Name Dropper thresholds: a record this old is stale, and this old dead. */
  readonly staleAfterMs: number;
  readonly deadAfterMs: number;
}

export interface PolicyContext<P, S = undefined> extends DecisionEnv {
  /** The plugin's params, validated by its schema. */
  readonly params: P;
  /** The plugin's own mutable state (scorers only); survives param changes, reset by a switch. */
  readonly state: S;
}

/**
 * A filter's verdict. `reason` may be a function when composing it costs something (formatting
 * sizes): it is then called only if someone reads the decision's candidates.
 */
export type FilterResult = { readonly ok: true } | { readonly ok: false; readonly reason: string | (() => string) };

/** The shared pass value: filters return it so that the common path allocates nothing. */
export const PASS: FilterResult = Object.freeze({ ok: true });

export type Factors = Readonly<Record<string, number | string>>;

export interface Score {
  readonly score: number;
  /** The inputs; omit them when the scorer computes them on demand with its `factors` hook. */
  readonly factors?: Factors;
  /** A note on the host (e.g. "record 4.2 s old (stale)"), or why a -Infinity score refuses it. */
  readonly reason?: string;
}

/** A host that passed the filters, with its score; what pick and explain see. */
export interface Scored {
  readonly entry: HostEntry;
  readonly score: number;
  readonly factors: Factors;
  /** The scorer's note from Score.reason, if any. */
  readonly note?: string;
}

export type PolicyKind = 'filter' | 'scorer' | 'balancer';

interface PluginBase<P> {
  /** Registry key, used on the command line: lower-case words joined by '-'. */
  readonly name: string;
  /** One line for `zinc policy show`. */
  readonly description: string;
  /** Every parameter with its default, as the string a user would type. Undeclared keys are refused. */
  readonly defaults: Readonly<Record<string, string>>;
  /** Parses the defaults merged with the user's overrides (all strings) into typed params. */
  readonly params: z.ZodType<P>;
}

export interface FilterPlugin<P> extends PluginBase<P> {
  readonly kind: 'filter';
  filter(host: HostEntry, request: PlacementRequest, ctx: PolicyContext<P>): FilterResult;
}

export interface ScorerPlugin<P, S = undefined> extends PluginBase<P> {
  readonly kind: 'scorer';
  /**
   * Whether stale records reach `score` at all. The engine never offers dead hosts; stale ones
   * only to scorers that say they know how to distrust them (zinctask). Default false.
   */
  readonly acceptsStale?: boolean;
  /** Fresh state when the scorer becomes active. */
  readonly initialState?: () => S;
  score(host: HostEntry, request: PlacementRequest, ctx: PolicyContext<P, S>): Score;
  factors?(host: HostEntry, request: PlacementRequest, ctx: PolicyContext<P, S>): Factors;
  pick?(scored: readonly Scored[], ctx: PolicyContext<P, S>): Scored;
  explain?(candidate: Scored, winner: Scored, ctx: PolicyContext<P, S>): string;
}

export interface BalancerPlugin<P> extends PluginBase<P> {
  readonly kind: 'balancer';
  balance(input: BalanceInput, ctx: PolicyContext<P>): BalanceDecision;
}

// ------------------------------------------------------------------------------------------------
// Type-erased forms: what the registry stores and the engine runs. `bind` validates params once.
// ------------------------------------------------------------------------------------------------

export interface PolicyInfoData {
  readonly name: string;
  readonly kind: PolicyKind;
  readonly description: string;
  readonly defaults: Readonly<Record<string, string>>;
}

interface BoundBase {
  readonly name: string;
  /** Defaults merged with overrides: what the stage really runs with. */
  readonly effective: Readonly<Record<string, string>>;
  /** Only what differs from the defaults, as the user set it. */
  readonly overrides: Readonly<Record<string, string>>;
}

export interface BoundFilter extends BoundBase {
  begin(env: DecisionEnv): (host: HostEntry, request: PlacementRequest) => FilterResult;
}

export interface ScorerRun {
  score(host: HostEntry, request: PlacementRequest): Score;
  /** The factors of a scored host, as of the decision (`pending` is what it was then). */
  factors(host: HostEntry, request: PlacementRequest, pending: Pending): Factors;
  pick(scored: readonly Scored[]): Scored;
  explain(candidate: Scored, winner: Scored): string;
}

export interface BoundScorer extends BoundBase {
  readonly acceptsStale: boolean;
  begin(env: DecisionEnv): ScorerRun;
  /** The same scorer with other params and the same state (round-robin keeps its cursor). */
  rebind(overrides: Readonly<Record<string, string>>): BoundScorer;
}

export interface BoundBalancer extends BoundBase {
  begin(env: DecisionEnv): (input: BalanceInput) => BalanceDecision;
}

export interface FilterDefinition extends PolicyInfoData {
  readonly kind: 'filter';
  bind(overrides: Readonly<Record<string, string>>): BoundFilter;
}

export interface ScorerDefinition extends PolicyInfoData {
  readonly kind: 'scorer';
  bind(overrides: Readonly<Record<string, string>>): BoundScorer;
}

export interface BalancerDefinition extends PolicyInfoData {
  readonly kind: 'balancer';
  bind(overrides: Readonly<Record<string, string>>): BoundBalancer;
}

export type PolicyDefinition = FilterDefinition | ScorerDefinition | BalancerDefinition;

function info<P>(p: PluginBase<P>, kind: PolicyKind): PolicyInfoData {
  return { name: p.name, kind, description: p.description, defaults: Object.freeze({ ...p.defaults }) };
}

/** Keeps only the overrides that change something, so defaults can evolve between versions. */
function trimOverrides(defaults: Readonly<Record<string, string>>, overrides: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(overrides)) if (defaults[k] !== v) out[k] = v;
  return out;
}

export function defineFilter<P>(plugin: FilterPlugin<P>): FilterDefinition {
  return {
    ...info(plugin, 'filter'),
    kind: 'filter',
    bind(overrides) {
      const { params, effective } = parseParams(plugin.name, plugin.defaults, plugin.params, overrides);
      return {
        name: plugin.name,
        effective,
        overrides: trimOverrides(plugin.defaults, overrides),
        begin(env) {
          const ctx: PolicyContext<P> = { ...bindEnv(env), params, state: undefined };
          return (host, request) => plugin.filter(host, request, ctx);
        },
      };
    },
  };
}

export function defineScorer<P, S = undefined>(plugin: ScorerPlugin<P, S>): ScorerDefinition {
  const bindWith = (overrides: Readonly<Record<string, string>>, state: S): BoundScorer => {
    const { params, effective } = parseParams(plugin.name, plugin.defaults, plugin.params, overrides);
    return {
      name: plugin.name,
      effective,
      overrides: trimOverrides(plugin.defaults, overrides),
      acceptsStale: plugin.acceptsStale ?? false,
      begin(env) {
        const ctx: PolicyContext<P, S> = { ...bindEnv(env), params, state };
        return {
          score: (host, request) => plugin.score(host, request, ctx),
          factors: (host, request, pending) => (plugin.factors ? plugin.factors(host, request, { ...ctx, pending: () => pending }) : NO_FACTORS),
          pick: (scored) => (plugin.pick ? plugin.pick(scored, ctx) : pickHighest(scored)),
          explain: (c, w) => (plugin.explain ? plugin.explain(c, w, ctx) : explainByScore(c, w)),
        };
      },
      rebind: (next) => bindWith(next, state),
    };
  };
  return {
    ...info(plugin, 'scorer'),
    kind: 'scorer',
    // A scorer without initialState has S = undefined (the default type argument).
    bind: (overrides) => bindWith(overrides, (plugin.initialState ? plugin.initialState() : undefined) as S),
  };
}

export function defineBalancer<P>(plugin: BalancerPlugin<P>): BalancerDefinition {
  return {
    ...info(plugin, 'balancer'),
    kind: 'balancer',
    bind(overrides) {
      const { params, effective } = parseParams(plugin.name, plugin.defaults, plugin.params, overrides);
      return {
        name: plugin.name,
        effective,
        overrides: trimOverrides(plugin.defaults, overrides),
        begin(env) {
          const ctx: PolicyContext<P> = { ...bindEnv(env), params, state: undefined };
          return (input) => plugin.balance(input, ctx);
        },
      };
    },
  };
}

/** `pending` is a method of the env object; keep it bound when the env is spread into a ctx. */
function bindEnv(env: DecisionEnv): DecisionEnv {
  return {
    now: env.now,
    rng: env.rng,
    pending: (host) => env.pending(host),
    selfHost: env.selfHost,
    staleAfterMs: env.staleAfterMs,
    deadAfterMs: env.deadAfterMs,
  };
}

/** The default pick: highest score; equal scores go to the smallest host name (deterministic). */
export function pickHighest(scored: readonly Scored[]): Scored {
  let best = scored[0];
  if (!best) throw new RangeError('pick called with no scored hosts');
  for (let i = 1; i < scored.length; i++) {
    const s = scored[i];
    if (s && (s.score > best.score || (s.score === best.score && s.entry.record.host < best.entry.record.host))) best = s;
  }
  return best;
}

/** The default explanation: the scores themselves. */
export function explainByScore(c: Scored, w: Scored): string {
  if (c === w) return `highest score ${c.score.toFixed(3)}`;
  if (c.score === w.score) return `tied with ${w.entry.record.host} at ${c.score.toFixed(3)}; ${w.entry.record.host} sorts first`;
  return `score ${c.score.toFixed(3)} < ${w.entry.record.host}'s ${w.score.toFixed(3)}`;
}
