/**
 * What each host knows of the others: Name Dropper's view, modelled rather than gossiped.
 *
 * A host's record reaches an observer some rounds after it was made: `lagRounds` gossip
 * intervals on average (with full peering, Name Dropper spreads a record to everyone within a
 * round or two), plus the one-way network delay between their domains. The observer sees the
 * newest record made before that, with its true age, and the status Name Dropper would give it
 * (statusForAge, the daemon's own function). Every host of a domain shares one view (the delays
 * depend only on domains), computed at most once per `resolutionMs` and cached, which is what
 * makes 1,000-host runs affordable; the observer's own entry is replaced by its fresh record.
 */
import { statusForAge, type NameDropperOptions } from '../../../daemon/discovery/nd-options.js';
import type { HostEntry } from '../../../daemon/placement/plugin.js';
import type { SimHost } from './host.js';
import type { Network } from './network.js';

export class Views {
  private readonly cache = new Map<string, { slot: number; entries: HostEntry[] }>();
  private readonly lag = new Map<string, Map<string, number>>();

  constructor(
    private readonly hosts: readonly SimHost[],
    private readonly nd: NameDropperOptions,
    network: Network,
    lagMs: number,
    private readonly resolutionMs: number,
  ) {
    const domains = [...new Set(hosts.map((h) => h.spec.domain))];
    for (const a of domains) {
      const row = new Map<string, number>();
      for (const b of domains) row.set(b, lagMs + network.oneWayMs(b, a));
      this.lag.set(a, row);
    }
  }

  /** The view of a host in `domain` at `now` (shared; do not modify). */
  shared(domain: string, now: number): HostEntry[] {
    const slot = Math.floor(now / this.resolutionMs);
    const hit = this.cache.get(domain);
    if (hit && hit.slot === slot) return hit.entries;
    const t = slot * this.resolutionMs;
    const lags = this.lag.get(domain);
    const entries = this.hosts.map((h): HostEntry => {
      const p = h.publishedAt(t - (lags?.get(h.spec.domain) ?? 0));
      if (!p) return { record: h.record, status: 'dead', ageMs: Infinity, isSelf: false };
      const age = Math.max(0, t - p.at);
      return { record: p.record, status: statusForAge(age, this.nd), ageMs: age, isSelf: false };
    });
    this.cache.set(domain, { slot, entries });
    return entries;
  }

  /** The host's own entry: its latest record, as zincd's view has it (alive, aged since the refresh). */
  self(h: SimHost, now: number): HostEntry {
    return { record: h.record, status: 'alive', ageMs: Math.max(0, now - h.recordAt), isSelf: true };
  }

  /** The view of host `h`: the shared view of its domain with its own entry fresh. */
  of(h: SimHost, now: number): HostEntry[] {
    const v = this.shared(h.spec.domain, now).slice();
    v[h.index] = this.self(h, now);
    return v;
  }
}
