/**
 * What this host remembers about the moves it started: when (the host's rate limit), which jobs
 * (the per-job cooldown and limit, together with the job's own migration times), the load that
 * left with them (it lingers in the smoothed load for a while) and which moves failed (back-off).
 */
import type { MoveHistoryView } from './types.js';

interface Departure {
  readonly gpid: string;
  readonly atMs: number;
  readonly cpus: number;
}

export interface Failure {
  readonly atMs: number;
  readonly reason: string;
}

/** Forget departures and failures after this long; far beyond any sane tau or cooldown. */
const KEEP_MS = 3_600_000;

export class MoveHistory implements MoveHistoryView {
  lastMoveAtMs: number | undefined;
  private departures: Departure[] = [];
  private readonly moves = new Map<string, number[]>();
  private readonly failures = new Map<string, Failure>();

  /** A move of `gpid` starts now: it counts for the rate limit and as departed load at once. */
  started(gpid: string, cpus: number, now: number): void {
    this.prune(now);
    this.lastMoveAtMs = now;
    this.departures.push({ gpid, atMs: now, cpus });
    this.moves.set(gpid, [...(this.moves.get(gpid) ?? []), now]);
    this.failures.delete(gpid);
  }

  /** The move failed: the job stayed, so its load did not leave; keep the rate limit, back off. */
  failed(gpid: string, now: number, reason: string): void {
    const last = this.lastOf(gpid);
    this.departures = this.departures.filter((d) => d.gpid !== gpid || d.atMs !== last);
    const times = this.moves.get(gpid);
    if (times) {
      times.pop();
      if (times.length === 0) this.moves.delete(gpid);
    }
    this.failures.set(gpid, { atMs: now, reason });
  }

  /**
   * Hosts smooth their run-queue length exponentially (HostProbe, time constant tau), so a job
   * that left t ms ago still counts e^(−t/tau) of its load in this host's record.
   */
  departedLoad(now: number, tauMs: number): number {
    let sum = 0;
    for (const d of this.departures) sum += d.cpus * Math.exp(-Math.max(0, now - d.atMs) / Math.max(1, tauMs));
    return sum;
  }

  movesOf(gpid: string): readonly number[] {
    return this.moves.get(gpid) ?? [];
  }

  failedAt(gpid: string): number | undefined {
    return this.failures.get(gpid)?.atMs;
  }

  failure(gpid: string): Failure | undefined {
    return this.failures.get(gpid);
  }

  private lastOf(gpid: string): number | undefined {
    const t = this.moves.get(gpid);
    return t ? t[t.length - 1] : undefined;
  }

  private prune(now: number): void {
    this.departures = this.departures.filter((d) => now - d.atMs < KEEP_MS);
    for (const [g, times] of this.moves) {
      const left = times.filter((t) => now - t < KEEP_MS);
      if (left.length === 0) this.moves.delete(g);
      else this.moves.set(g, left);
    }
    for (const [g, f] of this.failures) if (now - f.atMs >= KEEP_MS) this.failures.delete(g);
  }
}
