/**
 * The placement engine: runs the active chain over this host's view of the grid.
 *
 *   dead hosts                    never (their record is too old to mean anything)
 *   stale hosts                   only if the scorer distrusts them itself (acceptsStale: zinctask);
 *                                 the baselines see alive hosts only
 *   filters, in chain order       the first that says no gives the reason
 *   scorer                        scores the survivors, picks one, explains every loss
 *
 * Pure apart from its own memory (the pending ledger and the scorer's state): the clock and the
 * RNG are injected, hosts are passed in. A decision reserves the chosen host at once (before the
 * caller awaits anything), so that concurrent submits see each other: that is the stampede guard.
 */
import type { HostState } from '../discovery/host-state.js';
import type { BalanceDecision, BalanceInput } from '../balancer/types.js';
import { compileChain, type ChainSpec, type CompiledChain } from './chain.js';
import type { CandidateResult, Decision } from './decision.js';
import { seconds } from './describe.js';
import { PendingLedger, type PendingToken } from './pending.js';
import { NO_PENDING, type DecisionEnv, type Factors, type FilterResult, type HostEntry, type Pending, type PlacementRequest, type Scored, type ScorerRun } from './plugin.js';
import type { PolicyRegistry } from './registry.js';

export { ranked, summarizeRejections, toWire, type CandidateResult, type Decision } from './decision.js';

export interface EngineOptions {
  /** This host's id: it decides (Decision.decidedBy). */
  readonly selfHost: string;
  /** Name Dropper's thresholds (gossip interval × rounds). */
  readonly staleAfterMs: number;
  readonly deadAfterMs: number;
  /** How long a pending placement may wait to show in its host's record; default 3 × staleAfter (≥ 5 s). */
  readonly pendingTtlMs?: number;
}

export interface DecideOptions {
  /** Hosts that may not be chosen (e.g. the host a job leaves), with the reason shown. */
  readonly exclude?: ReadonlySet<string>;
  readonly excludeReason?: string;
  /** Reserve the chosen host (stampede accounting). Default true; previews and the balancer pass false. */
  readonly reserve?: boolean;
}

const NO_FACTORS = Object.freeze({});
const NO_EXCLUDE: ReadonlySet<string> = new Set();

export class PlacementEngine {
  private compiled: CompiledChain;
  private readonly ledger: PendingLedger;
  /** The hosts of the last decision, to find the record a later notePlaced refers to. */
  private lastView: readonly HostEntry[] = [];

  constructor(
    readonly registry: PolicyRegistry,
    chain: ChainSpec,
    private readonly clock: () => number,
    private readonly rng: () => number,
    readonly options: EngineOptions,
  ) {
    this.compiled = compileChain(chain, registry);
    this.ledger = new PendingLedger(options.pendingTtlMs ?? Math.max(5000, 3 * options.staleAfterMs));
  }

  get chain(): ChainSpec {
    return this.compiled.spec;
  }

  get active(): CompiledChain {
    return this.compiled;
  }

  /** Swap the chain at run time. Validates first: on error the old chain stays active. */
  setChain(chain: ChainSpec): void {
    this.compiled = compileChain(chain, this.registry, this.compiled);
  }

  /** Choose a host for `request` among `hosts` (this host's view, self included). */
  decide(request: PlacementRequest, hosts: readonly HostEntry[], opts: DecideOptions = {}): Decision {
    const t0 = performance.now();
    const now = this.clock();
    const c = this.compiled;
    const env = this.env(now);
    const filters = c.filters.map((f) => ({ name: f.name, run: f.begin(env) }));
    const scorer = c.scorer.begin(env);
    const exclude = opts.exclude ?? NO_EXCLUDE;
    const candidates: CandidateResult[] = [];
    const scored: Scored[] = [];
    this.ledger.expire(now);
    const ledger = this.ledger;
    const lazy: LazyFactors = { request, scorer, pendingOf: (host) => ledger.pending(host) };

    for (const entry of hosts) {
      const r = entry.record;
      this.ledger.observe(r, now);
      if (!this.admitted(entry, exclude, c.scorer.acceptsStale)) {
        candidates.push(new Refused(r.host, NO_FACTORS, () => this.gateReason(entry, opts.excludeReason, c.scorer.name)));
        continue;
      }
      let rejected: FilterResult | undefined;
      let by = '';
      for (const f of filters) {
        const res = f.run(entry, request);
        if (!res.ok) {
          rejected = res;
          by = f.name;
          break;
        }
      }
      if (rejected !== undefined && !rejected.ok) {
        const why = rejected.reason;
        candidates.push(new Refused(r.host, NO_FACTORS, typeof why === 'string' ? `${by}: ${why}` : () => `${by}: ${why()}`));
        continue;
      }
      const s = scorer.score(entry, request);
      if (!(s.score > -Infinity)) {
        candidates.push(new Refused(r.host, s.factors ?? NO_FACTORS, `${c.scorer.name}: ${s.reason ?? 'refused'}`));
        continue;
      }
      const e = new Eligible(entry, s.score, s.reason, s.factors, lazy);
      scored.push(e);
      candidates.push(e);
    }

    let chosen: string | undefined;
    let reason: string;
    let pending: PendingToken | undefined;
    if (scored.length === 0) {
      reason = hosts.length === 0 ? 'no hosts known yet' : `all ${hosts.length} hosts refused`;
    } else {
      const winner = scorer.pick(scored);
      chosen = winner.entry.record.host;
      // Explanations are written on demand (toWire, zinc show): a 10,000-host decision would
      // otherwise spend most of its time composing sentences nobody reads.
      const explain = (s: Scored) => scorer.explain(s, winner);
      for (const s of scored) if (s instanceof Eligible) s.explainWith(explain);
      reason = scored.length === 1 ? 'the only eligible host' : `best of ${scored.length} eligible`;
      if (opts.reserve !== false) pending = this.ledger.note(chosen, request.cpus ?? 1, request.memBytes, winner.entry.record, now);
    }
    this.lastView = hosts;
    return {
      policy: c.text,
      chainVersion: c.spec.version,
      chosen,
      reason,
      decidedBy: this.options.selfHost,
      atMs: now,
      candidates,
      decideMs: performance.now() - t0,
      pending,
    };
  }

  /**
   * Count a placement on `host` that no decide() reserved (the balancer commits its moves here;
   * `zinc submit --host` may too). `seen` defaults to the record of the last decision's view.
   */
  notePlaced(host: string, request: PlacementRequest, seen?: HostState): PendingToken {
    const record = seen ?? this.lastView.find((e) => e.record.host === host)?.record;
    return this.ledger.note(host, request.cpus ?? 1, request.memBytes, record, this.clock());
  }

  /** The placement did not happen after all (the submit or migration failed). */
  forgetPlaced(token: PendingToken): void {
    this.ledger.forget(token);
  }

  pending(host: string): Pending {
    return this.ledger.pending(host);
  }

  /** Run the balancer of the active chain (the loop checks `chain.balancer.enabled`). */
  balance(input: Omit<BalanceInput, 'place'>): BalanceDecision {
    const now = this.clock();
    const run = this.compiled.balancer.begin(this.env(now));
    return run({
      ...input,
      place: (request, hosts, exclude) => this.decide(request, hosts, { exclude, excludeReason: 'the host the job leaves', reserve: false }),
    });
  }

  private env(now: number): DecisionEnv {
    const ledger = this.ledger;
    return {
      now,
      rng: this.rng,
      pending: (host) => ledger.pending(host),
      selfHost: this.options.selfHost,
      staleAfterMs: this.options.staleAfterMs,
      deadAfterMs: this.options.deadAfterMs,
    };
  }

  /** Engine-level gate, before any filter: not excluded, not dead, stale only for a scorer that can judge it. */
  private admitted(entry: HostEntry, exclude: ReadonlySet<string>, acceptsStale: boolean): boolean {
    if (exclude.size > 0 && exclude.has(entry.record.host)) return false;
    if (entry.status === 'dead') return false;
    return entry.status !== 'stale' || acceptsStale;
  }

  private gateReason(entry: HostEntry, excludeReason: string | undefined, scorer: string): string {
    if (entry.status === 'dead') return `dead: no news for ${seconds(entry.ageMs)}`;
    if (entry.status === 'stale') return `stale: record ${seconds(entry.ageMs)} old; ${scorer} places on fresh records only`;
    return `excluded: ${excludeReason ?? 'excluded by the caller'}`;
  }
}

/** A host the gate, a filter or the scorer refused; the reason may be composed on demand. */
class Refused implements CandidateResult {
  readonly eligible = false;
  readonly score = NaN;
  constructor(
    readonly host: string,
    readonly factors: Factors,
    private why: string | (() => string),
  ) {}

  get reason(): string {
    if (typeof this.why !== 'string') this.why = this.why();
    return this.why;
  }
}

/** What an Eligible needs to compute its factors after the decision. */
interface LazyFactors {
  readonly request: PlacementRequest;
  readonly scorer: ScorerRun;
  readonly pendingOf: (host: string) => Pending;
}

/**
 * A scored host (what the scorer's pick and explain see). Kept lean, because a decision holds
 * one per eligible host: its reason is composed when first read, and so are its factors when the
 * scorer computes them on demand (the pending load it saw is kept for that).
 */
class Eligible implements CandidateResult, Scored {
  readonly eligible = true;
  private explain: ((s: Scored) => string) | undefined;
  private text: string | undefined;
  /** The ledger's (immutable) sums for this host at decision time. */
  private readonly pendingThen: Pending | undefined;

  constructor(
    readonly entry: HostEntry,
    readonly score: number,
    readonly note: string | undefined,
    private computed: Factors | undefined,
    private readonly lazy: LazyFactors,
  ) {
    this.pendingThen = computed ? undefined : lazy.pendingOf(entry.record.host);
  }

  get host(): string {
    return this.entry.record.host;
  }

  get factors(): Factors {
    this.computed ??= this.lazy.scorer.factors(this.entry, this.lazy.request, this.pendingThen ?? NO_PENDING);
    return this.computed;
  }

  get reason(): string {
    this.text ??= this.explain ? this.explain(this) : '';
    return this.text;
  }

  explainWith(explain: (s: Scored) => string): void {
    this.explain = explain;
  }
}
