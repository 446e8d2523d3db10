/**
 * The simulator's picture of the lab's network (docs/lab.md, "WAN model"): a star of WAN links,
 * one per domain, each with a rate and a one-way delay. Between domains A and B the one-way delay
 * is delay(A) + delay(B) and the bottleneck is the slower link; inside a domain the LAN is fast.
 * Link contention between concurrent transfers is not modelled (the balancer moves one job per
 * host at a time, and the experiment's migrations are rare enough to seldom overlap on a link).
 */
import type { TopologySpec } from '../config.js';
import { parseRate } from '../../lab/topology.js';

/** Round trip inside a domain's bridge, measured in the lab (docs/lab.md: about 0.2 ms). */
export const LAN_RTT_MS = 0.2;

export interface Path {
  /** Bottleneck rate, bits per second. */
  readonly rateBps: number;
  readonly rttMs: number;
}

export class Network {
  private readonly domains = new Map<string, { rateBps: number; delayMs: number }>();
  private readonly lanBps: number;

  constructor(topology: TopologySpec, lanRateUnlimited: string) {
    const unlimited = parseRate(lanRateUnlimited) ?? 5e9;
    this.lanBps = parseRate(topology.lanRate) ?? unlimited;
    for (const d of topology.domains) {
      this.domains.set(d.name, { rateBps: parseRate(d.wan.rate) ?? unlimited, delayMs: d.wan.delayMs });
    }
  }

  path(fromDomain: string, toDomain: string): Path {
    if (fromDomain === toDomain) return { rateBps: this.lanBps, rttMs: LAN_RTT_MS };
    const a = this.domains.get(fromDomain);
    const b = this.domains.get(toDomain);
    if (!a || !b) return { rateBps: this.lanBps, rttMs: LAN_RTT_MS };
    return { rateBps: Math.min(a.rateBps, b.rateBps, this.lanBps), rttMs: 2 * (a.delayMs + b.delayMs) + LAN_RTT_MS };
  }

  /** One-way delay between two domains, ms. */
  oneWayMs(fromDomain: string, toDomain: string): number {
    return this.path(fromDomain, toDomain).rttMs / 2;
  }
}
