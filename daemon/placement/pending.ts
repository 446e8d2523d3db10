/**
 * Stampede accounting. A host's record shows a job only after the job has started there, the
 * host has refreshed its record (once per gossip round) and that record has travelled back here
 * (a few rounds more). Until then every decision would see the same idle host and send it every
 * job. So each placement this host makes is remembered as *pending* on its target, and counts
 * as extra load (its cpus) and reserved memory there, until the target's own record shows it.
 *
 * "Shows it" is judged by the running-jobs count, not by the version: versions advance every
 * round whether or not the job has arrived. Each pending entry remembers the count it must
 * reach: the count in the record seen when it was placed, plus one for itself and one for every
 * earlier entry still pending on that host. An entry settles when
 *   1. a record of the same incarnation has jobs ≥ that target (the job is in the host's load:
 *      the host bumps its own load when a job starts, HostProbe.bump), or
 *   2. the host's incarnation changed (it restarted; its fresh record is the truth), or
 *   3. it is older than `ttlMs` (the job failed to start, or exited before being seen, or
 *      another job's exit hid it): a few gossip intervals, so a lost entry costs little.
 * Entries settle oldest first. Jobs placed here by *other* entry hosts are not known here; they
 * can only make an entry settle early, which is safe in the direction that matters, because the
 * record then already carries those jobs' load.
 */
import type { HostState } from '../discovery/host-state.js';
import { NO_PENDING, type Pending } from './plugin.js';

interface Entry {
  readonly token: number;
  readonly cpus: number;
  readonly memBytes: number;
  readonly atMs: number;
  readonly incarnation: number;
  /** Running-jobs count at which the host's record shows this placement. */
  readonly showsAt: number;
}

/** Identifies one pending placement, to forget it if the placement did not happen after all. */
export interface PendingToken {
  readonly host: string;
  readonly token: number;
}

/** Local alias of NO_PENDING for the hot path (see plugins/mem-fit.ts). */
const ZERO = NO_PENDING;

export class PendingLedger {
  private readonly byHost = new Map<string, Entry[]>();
  private readonly sums = new Map<string, Pending>();
  private next = 1;

  constructor(readonly ttlMs: number) {}

  /** Record a placement on `host`, whose record as seen by the decision was `seen`. */
  note(host: string, cpus: number, memBytes: number, seen: HostState | undefined, now: number): PendingToken {
    const list = this.byHost.get(host) ?? [];
    const incarnation = seen?.incarnation ?? -1;
    const base = seen?.jobs ?? 0;
    const prior = list.reduce((m, e) => (e.incarnation === incarnation ? Math.max(m, e.showsAt) : m), base);
    const entry: Entry = { token: this.next++, cpus, memBytes, atMs: now, incarnation, showsAt: Math.max(base, prior) + 1 };
    list.push(entry);
    this.byHost.set(host, list);
    this.resum(host, list);
    return { host, token: entry.token };
  }

  /** The placement did not happen (the submit failed): stop counting it. */
  forget(t: PendingToken): void {
    const list = this.byHost.get(t.host);
    if (!list) return;
    this.update(t.host, list.filter((e) => e.token !== t.token));
  }

  /** Settle what `record` shows, and what has timed out. Cheap when nothing is pending there. */
  observe(record: HostState, now: number): void {
    const list = this.byHost.get(record.host);
    if (!list) return;
    const left = list.filter((e) => e.incarnation === record.incarnation && record.jobs < e.showsAt && now - e.atMs < this.ttlMs);
    if (left.length !== list.length) this.update(record.host, left);
  }

  /** Drop every entry past its ttl, on any host (also those no longer in the view). */
  expire(now: number): void {
    for (const [host, list] of this.byHost) {
      const left = list.filter((e) => now - e.atMs < this.ttlMs);
      if (left.length !== list.length) this.update(host, left);
    }
  }

  pending(host: string): Pending {
    return this.sums.get(host) ?? ZERO;
  }

  /** Hosts with something pending, for `zinc policy show` and tests. */
  hosts(): string[] {
    return [...this.byHost.keys()];
  }

  private update(host: string, list: Entry[]): void {
    if (list.length === 0) {
      this.byHost.delete(host);
      this.sums.delete(host);
    } else {
      this.byHost.set(host, list);
      this.resum(host, list);
    }
  }

  private resum(host: string, list: readonly Entry[]): void {
    let cpus = 0;
    let memBytes = 0;
    for (const e of list) {
      cpus += e.cpus;
      memBytes += e.memBytes;
    }
    this.sums.set(host, { jobs: list.length, cpus, memBytes });
  }
}
