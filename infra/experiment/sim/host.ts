/**
 * One simulated host: a processor-sharing CPU, the record it gossips (built as zincd builds it),
 * and its own copy of zinc's policy code: a PlacementEngine (with its pending ledger and scorer
 * state) and the balancer's MoveHistory.
 *
 * CPU model. The lab caps a host's jobs at cores × speed CPUs (a CFS quota on their cgroup) and a
 * single-threaded job can use at most one CPU, so with n running jobs each progresses at
 * min(1, cores × speed ÷ n) CPU-seconds per second. Between two changes of the job set, rates are
 * constant, and the next completion is computed exactly.
 *
 * Load model (daemon/host/probe.ts and zincd's refresh): once per gossip round the host counts its
 * running jobs; if there are more than at the last round, the difference is added to the load at
 * once (HostProbe.bump); then load ← load·a + runnable·(1 − a), a = e^(−Δt/τ), rounded to 1e−3.
 */
import type { HostState } from '../../../daemon/discovery/host-state.js';
import { MoveHistory } from '../../../daemon/balancer/history.js';
import type { PlacementEngine } from '../../../daemon/placement/engine.js';
import type { HostSpec } from '../config.js';

export interface SimJob {
  readonly id: number;
  readonly gpid: string;
  readonly cpuMs: number;
  readonly memBytes: number;
  /** CPU ms still to burn (at speed 1). */
  remainingMs: number;
  /** First start on any host (its age, for the balancer), absolute sim ms; NaN until it starts. */
  startedAtMs: number;
  migratedAtMs: number[];
  firstHost: string;
}

export class SimHost {
  readonly jobs = new Map<number, SimJob>();
  readonly history = new MoveHistory();
  /** Bumped whenever the job set changes: completion events carry it, stale ones are ignored. */
  epoch = 0;
  /** A balancer move from this host is under way (BalancerLoop runs one at a time). */
  moving = false;
  private lastAdvance = 0;
  private load = 0;
  private sampled = false;
  private lastSampleAt = 0;
  private lastRunning = 0;
  private version = 0;
  /** The latest record and when it was made (the self entry of the host's own view). */
  record: HostState;
  recordAt = 0;
  /** Records this host published recently, oldest first, for other hosts' lagged views. */
  readonly published: Array<{ at: number; record: HostState }> = [];

  constructor(
    readonly spec: HostSpec,
    readonly index: number,
    readonly engine: PlacementEngine,
    private readonly loadTauMs: number,
  ) {
    this.record = this.makeRecord(0);
  }

  get capacity(): number {
    return this.spec.cores * this.spec.speed;
  }

  /** CPU-seconds per second each running job gets now. */
  rate(): number {
    const n = this.jobs.size;
    return n === 0 ? 0 : Math.min(1, this.capacity / n);
  }

  /** Burns CPU up to `now` at the current rates. */
  advance(now: number): void {
    const dt = now - this.lastAdvance;
    if (dt > 0 && this.jobs.size > 0) {
      const burnt = dt * this.rate();
      for (const j of this.jobs.values()) j.remainingMs = Math.max(0, j.remainingMs - burnt);
    }
    this.lastAdvance = now;
  }

  /** The job that finishes first at the current rates, and when. */
  nextCompletion(now: number): { job: SimJob; at: number } | undefined {
    const r = this.rate();
    let best: SimJob | undefined;
    for (const j of this.jobs.values()) if (!best || j.remainingMs < best.remainingMs || (j.remainingMs === best.remainingMs && j.id < best.id)) best = j;
    if (!best || r <= 0) return undefined;
    return { job: best, at: now + best.remainingMs / r };
  }

  add(job: SimJob, now: number): void {
    this.advance(now);
    this.jobs.set(job.id, job);
    this.epoch++;
  }

  remove(id: number, now: number): SimJob | undefined {
    this.advance(now);
    const j = this.jobs.get(id);
    if (j) {
      this.jobs.delete(id);
      this.epoch++;
    }
    return j;
  }

  /** One gossip round: refresh the record as zincd does, and publish it. */
  refresh(now: number, keepMs: number): HostState {
    const running = this.jobs.size;
    if (running > this.lastRunning) this.load += running - this.lastRunning;
    this.lastRunning = running;
    if (!this.sampled) this.load = running;
    else {
      const a = Math.exp(-(now - this.lastSampleAt) / this.loadTauMs);
      this.load = this.load * a + running * (1 - a);
    }
    this.sampled = true;
    this.lastSampleAt = now;
    this.version++;
    this.record = this.makeRecord(Math.round(this.load * 1000) / 1000);
    this.recordAt = now;
    this.published.push({ at: now, record: this.record });
    while (this.published.length > 1 && (this.published[1]?.at ?? Infinity) <= now - keepMs) this.published.shift();
    return this.record;
  }

  /** The newest record published at or before `t`, or undefined if none yet. */
  publishedAt(t: number): { at: number; record: HostState } | undefined {
    for (let i = this.published.length - 1; i >= 0; i--) {
      const p = this.published[i];
      if (p && p.at <= t) return p;
    }
    return undefined;
  }

  private makeRecord(load: number): HostState {
    let used = 0;
    for (const j of this.jobs.values()) used += j.memBytes;
    return {
      host: this.spec.id,
      domain: this.spec.domain,
      address: `${this.spec.id}:7070`,
      cores: this.spec.cores,
      speed: this.spec.speed,
      load,
      memFreeBytes: Math.max(0, this.spec.memBytes - used),
      memTotalBytes: this.spec.memBytes,
      jobs: this.jobs.size,
      draining: false,
      incarnation: 1,
      version: this.version,
    };
  }
}
