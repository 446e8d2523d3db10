/**
 * Runs the balancer and drain on a timer: every `intervalMs` it takes fresh inputs, asks for a
 * move, and starts it with the injected `migrate`. The balancer never has two moves under way
 * (it waits until the last one ended, so it judges the grid after the move, not during it);
 * drain may run `drainConcurrency` at once. Every started move is reserved on its target (the
 * engine's pending ledger) and recorded in the history (rate limit, departed load); a failed
 * one is undone there and backed off.
 */
import type { DrainReply } from '../../proto/generated/zinc/v1/DrainReply.js';
import { errorMessage } from '../common/zinc-error.js';
import type { Logger } from '../log.js';
import type { PlacementEngine } from '../placement/engine.js';
import type { HostEntry } from '../placement/plugin.js';
import type { PendingToken } from '../placement/pending.js';
import { planDrain, type StuckJob } from './drain.js';
import { MoveHistory } from './history.js';
import type { BalanceDecision, LocalJob, Move } from './types.js';

export interface LoopInputs {
  /** This host's own entry (discovery.lookup(self) or a ViewEntry built from discovery.self()). */
  readonly self: HostEntry;
  /** The view (discovery.views()); this host may be in it. */
  readonly hosts: readonly HostEntry[];
  readonly jobs: readonly LocalJob[];
}

export interface BalancerLoopOptions {
  readonly engine: PlacementEngine;
  /** Fresh inputs each tick; undefined skips the tick (e.g. the daemon is stopping). */
  readonly inputs: () => LoopInputs | undefined;
  /** Moves one job; resolves when the job runs on `to`, rejects if it stayed. */
  readonly migrate: (gpid: string, to: string, reason: string) => Promise<void>;
  readonly intervalMs: number;
  /** Moves at once while draining; default 2. */
  readonly drainConcurrency?: number;
  /** How long a job whose drain move failed waits before the next try; default 10 s. */
  readonly drainRetryMs?: number;
  readonly history?: MoveHistory;
  readonly clock?: () => number;
  readonly log: Logger;
}

export interface DrainStatus {
  readonly draining: boolean;
  readonly moving: readonly string[];
  readonly stuck: readonly StuckJob[];
}

export class BalancerLoop {
  readonly history: MoveHistory;
  private readonly log: Logger;
  private readonly clock: () => number;
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private drain: DrainStatus = { draining: false, moving: [], stuck: [] };
  private lastReason = '';
  /** The balancer's last answer, for `zinc policy show` and tests. */
  lastDecision: BalanceDecision | undefined;

  constructor(private readonly o: BalancerLoopOptions) {
    this.history = o.history ?? new MoveHistory();
    this.log = o.log.child({ area: 'balancer' });
    this.clock = o.clock ?? Date.now;
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      void this.tick().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.o.intervalMs);
      });
    };
    this.timer = setTimeout(tick, this.o.intervalMs);
  }

  /** Stops ticking; moves under way finish on their own (see idle()). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One pass now. Concurrent callers share the pass under way. */
  tick(): Promise<void> {
    this.running ??= Promise.resolve()
      .then(() => this.pass())
      .catch((err: unknown) => this.log.error({ err: errorMessage(err) }, 'balancer pass failed'))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Resolves when no move is under way (tests; a clean shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  /** What the last pass found while draining. */
  drainStatus(): DrainStatus {
    return this.drain;
  }

  /** The proto DrainReply for this host, from the last pass (tick() first for a fresh one). */
  drainReply(host: string): DrainReply {
    const d = this.drain;
    return { host, draining: d.draining, moving: [...d.moving], stuck: d.stuck.map((s) => `${s.gpid}: ${s.reason}`) };
  }

  private pass(): void {
    const inputs = this.o.inputs();
    if (!inputs) return;
    if (inputs.self.record.draining) this.drainPass(inputs);
    else {
      if (this.drain.draining) this.drain = { draining: false, moving: [], stuck: [] };
      this.balancePass(inputs);
    }
  }

  private drainPass(inputs: LoopInputs): void {
    const { engine } = this.o;
    const now = this.clock();
    const plan = planDrain({
      ...inputs,
      inFlight: new Set(this.inFlight.keys()),
      slots: Math.max(0, (this.o.drainConcurrency ?? 2) - this.inFlight.size),
      failure: (gpid) => this.history.failure(gpid),
      retryMs: this.o.drainRetryMs ?? 10_000,
      now,
      place: (request, hosts, exclude) => engine.decide(request, hosts, { exclude, excludeReason: 'the host being drained', reserve: true }),
      preview: (request, hosts, exclude) => engine.decide(request, hosts, { exclude, excludeReason: 'the host being drained', reserve: false }),
    });
    this.drain = { draining: true, moving: plan.moving, stuck: plan.stuck };
    for (const move of plan.moves) this.launch(move, move.placement.pending, now);
    if (plan.stuck.length > 0) this.log.debug({ stuck: plan.stuck }, 'drain: jobs that cannot move yet');
  }

  private balancePass(inputs: LoopInputs): void {
    const { engine } = this.o;
    if (!engine.chain.balancer.enabled) return;
    if (this.inFlight.size > 0) return;
    const d = engine.balance({ ...inputs, history: this.history });
    this.lastDecision = d;
    if (!d.move) {
      if (d.reason !== this.lastReason) this.log.debug({ reason: d.reason }, 'balancer: no move');
      this.lastReason = d.reason;
      return;
    }
    this.lastReason = '';
    const move = d.move;
    const seen = inputs.hosts.find((h) => h.record.host === move.to)?.record;
    const token = engine.notePlaced(move.to, { memBytes: move.memBytes, domain: '', cpus: move.cpus, gpid: move.gpid, entryHost: move.from }, seen);
    this.launch(move, token, this.clock());
  }

  private launch(move: Move, token: PendingToken | undefined, now: number): void {
    this.history.started(move.gpid, move.cpus, now);
    this.log.info({ gpid: move.gpid, from: move.from, to: move.to, reason: move.reason }, 'moving job');
    const p = this.o
      .migrate(move.gpid, move.to, move.reason)
      .then(
        () => this.log.info({ gpid: move.gpid, to: move.to }, 'job moved'),
        (err: unknown) => {
          const reason = errorMessage(err);
          if (token) this.o.engine.forgetPlaced(token);
          this.history.failed(move.gpid, this.clock(), reason);
          this.log.warn({ gpid: move.gpid, to: move.to, err: reason }, 'move failed; the job stays');
        },
      )
      .finally(() => {
        this.inFlight.delete(move.gpid);
      });
    this.inFlight.set(move.gpid, p);
  }
}
