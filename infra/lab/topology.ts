/**
 * What a lab is made of: the topology file's schema, the expansion of `--domains M --hosts N`, and
 * the addressing plan derived from both. Pure: no side effects, so it is unit-testable.
 *
 * WAN model: every domain has one WAN link to a shared backbone (a star). A link has a rate (tbf,
 * both directions) and a one-way delay (the relay, both directions). A packet between domains A and
 * B crosses A's link and B's link, so its one-way latency is delay(A) + delay(B). `--wan-delay MS`
 * is the one-way latency between any two domains, so each link gets MS/2.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { LabOptionsError } from './errors.js';

export const PEERINGS = ['full', 'path', 'ring', 'star', 'none'] as const;
export type Peering = (typeof PEERINGS)[number];

/** tc's unit words, in bits per second. `mbps` is not accepted: in tc it means megabytes. */
const RATE_UNITS: Record<string, number> = { '': 1, bit: 1, kbit: 1e3, mbit: 1e6, gbit: 1e9 };

/** "100mbit" → 100000000; "unlimited" or "0" → null (no shaping). */
export function parseRate(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === 'unlimited' || t === 'none' || t === '0') return null;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)(?:\/s)?$/.exec(t);
  const unit = m ? RATE_UNITS[m[2] ?? ''] : undefined;
  if (!m || unit === undefined) {
    throw new LabOptionsError(`bad rate "${text}"`, 'Write a rate like 100mbit, 500kbit, 1gbit or unlimited');
  }
  const bps = Math.round(Number(m[1]) * unit);
  if (bps < 8000) throw new LabOptionsError(`rate "${text}" is below 8kbit`, 'Use at least 8kbit, or unlimited');
  return bps;
}

export function formatRate(bps: number | null): string {
  if (bps === null) return 'unlimited';
  if (bps % 1e9 === 0) return `${bps / 1e9}gbit`;
  if (bps % 1e6 === 0) return `${bps / 1e6}mbit`;
  if (bps % 1e3 === 0) return `${bps / 1e3}kbit`;
  return `${bps}bit`;
}

const DOMAIN_NAME_RE = /^[a-z][a-z0-9]{0,7}$/;
const HOST_ID_RE = /^[a-z0-9][a-z0-9-]{0,19}$/;

/** A link rate as text (`100mbit`, `1gbit`, `unlimited`); shared with the experiment config. */
export const RateText = z.string().refine(
  (s) => {
    try {
      parseRate(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'a rate like 100mbit, 20mbit, 1gbit or unlimited' },
);

const HostSpec = z
  .object({
    id: z.string().regex(HOST_ID_RE, 'lower-case letters, digits and "-", at most 20 characters').optional(),
    /** Relative CPU speed in (0, 1]: a CPU quota of speed × cores on the host's jobs. */
    speed: z.number().gt(0).lte(1).default(1),
    /** Cores the host advertises (and the quota is computed with). Default: this machine's. */
    cores: z.number().int().min(1).max(1024).optional(),
  })
  .strict();

const WanSpec = z
  .object({
    rate: RateText.optional(),
    /** One-way delay of this domain's WAN link (the inter-domain latency is the sum of two links). */
    delayMs: z.number().min(0).max(10_000).optional(),
  })
  .strict();

const DomainSpec = z
  .object({
    name: z.string().regex(DOMAIN_NAME_RE, 'a lower-case letter, then letters/digits, at most 8 characters').optional(),
    wan: WanSpec.optional(),
    /** A count, or one spec per host. */
    hosts: z.union([z.number().int().min(1).max(253), z.array(HostSpec).min(1).max(253)]),
  })
  .strict();

export const TopologyFile = z
  .object({
    domains: z.array(DomainSpec).min(1).max(250),
    lanRate: RateText.optional(),
  })
  .strict();
export type TopologyFile = z.infer<typeof TopologyFile>;
/** A topology as written (defaults not yet applied). */
export type TopologyInput = z.input<typeof TopologyFile>;

export interface PlannedHost {
  id: string;
  domain: string;
  domainIndex: number;
  /** 1-based index within its domain; the last octet of its address. */
  index: number;
  address: string;
  speed: number;
  cores: number;
}

export interface PlannedDomain {
  name: string;
  /** 1-based; the third octet of its subnet and the last octet of its backbone address. */
  index: number;
  subnet: string;
  gateway: string;
  wanAddress: string;
  wanRateBps: number | null;
  /** One-way delay of this domain's WAN link, in microseconds. */
  wanDelayUs: number;
  hosts: PlannedHost[];
}

export interface Plan {
  domains: PlannedDomain[];
  /** Every host, domain by domain: the order used for path/ring/star peering. */
  hosts: PlannedHost[];
  lanRateBps: number | null;
}

export interface PlanDefaults {
  wanRate: string;
  /** One-way latency between hosts of different domains. */
  wanDelayMs: number;
  lanRate: string;
}

export const DEFAULTS: PlanDefaults = { wanRate: '100mbit', wanDelayMs: 20, lanRate: 'unlimited' };

/** The topology that `--domains M --hosts N` stands for: hosts dealt round-robin over the domains. */
export function expandCounts(domains: number, hosts: number): TopologyFile {
  if (!Number.isInteger(domains) || domains < 1 || domains > 250) {
    throw new LabOptionsError(`--domains must be an integer in 1..250, got ${domains}`);
  }
  if (!Number.isInteger(hosts) || hosts < domains) {
    throw new LabOptionsError(`--hosts must be an integer ≥ --domains (${domains}), got ${hosts}`);
  }
  const counts = Array.from({ length: domains }, (_, d) => Math.floor(hosts / domains) + (d < hosts % domains ? 1 : 0));
  if (counts.some((c) => c > 253)) throw new LabOptionsError('at most 253 hosts per domain');
  return { domains: counts.map((c) => ({ hosts: c })) };
}

/** Validates a parsed topology file (zod) and turns errors into one readable line. */
export function parseTopology(raw: unknown, source: string): TopologyFile {
  const r = TopologyFile.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues[0];
    const where = first ? first.path.join('.') : '';
    throw new LabOptionsError(`${source}: ${where ? `${where}: ` : ''}${first?.message ?? 'invalid'}`);
  }
  return r.data;
}

/** Names, indexes and addresses for every domain and host. */
export function makePlan(topo: TopologyFile, defaults: PlanDefaults): Plan {
  const defaultCores = availableParallelism();
  const wanRate = parseRate(defaults.wanRate);
  const linkDelayUs = Math.round((defaults.wanDelayMs * 1000) / 2);
  const domains: PlannedDomain[] = topo.domains.map((d, i) => {
    const index = i + 1;
    const name = d.name ?? `d${index}`;
    const specs = typeof d.hosts === 'number' ? Array.from({ length: d.hosts }, () => HostSpec.parse({})) : d.hosts;
    const hosts: PlannedHost[] = specs.map((h, k) => ({
      id: h.id ?? `${name}-h${k + 1}`,
      domain: name,
      domainIndex: index,
      index: k + 1,
      address: `198.18.${index}.${k + 1}`,
      speed: h.speed,
      cores: h.cores ?? defaultCores,
    }));
    return {
      name,
      index,
      subnet: `198.18.${index}.0/24`,
      gateway: `198.18.${index}.254`,
      wanAddress: `198.19.0.${index}`,
      wanRateBps: d.wan?.rate !== undefined ? parseRate(d.wan.rate) : wanRate,
      wanDelayUs: d.wan?.delayMs !== undefined ? Math.round(d.wan.delayMs * 1000) : linkDelayUs,
      hosts,
    };
  });
  const hosts = domains.flatMap((d) => d.hosts);
  const dupes = (xs: string[]): string[] => xs.filter((x, i) => xs.indexOf(x) !== i);
  const dupDomains = dupes(domains.map((d) => d.name));
  if (dupDomains.length) throw new LabOptionsError(`duplicate domain name ${dupDomains[0]}`);
  const dupHosts = dupes(hosts.map((h) => h.id));
  if (dupHosts.length) throw new LabOptionsError(`duplicate host id ${dupHosts[0]}`);
  return { domains, hosts, lanRateBps: parseRate(topo.lanRate ?? defaults.lanRate) };
}

/** The `--peers` list of each host, by host id, for a peering scheme. */
export function peersFor(plan: Plan, peering: Peering, port: number): Map<string, string[]> {
  const hs = plan.hosts;
  const addr = (i: number): string => `${hs[i]?.address}:${port}`;
  const out = new Map<string, string[]>();
  hs.forEach((h, i) => {
    let peers: string[];
    switch (peering) {
      case 'full':
        peers = hs.flatMap((_, j) => (j === i ? [] : [addr(j)]));
        break;
      case 'path':
        peers = i + 1 < hs.length ? [addr(i + 1)] : [];
        break;
      case 'ring':
        peers = hs.length > 1 ? [addr((i + 1) % hs.length)] : [];
        break;
      case 'star':
        peers = i === 0 ? [] : [addr(0)];
        break;
      case 'none':
        peers = [];
        break;
    }
    out.set(h.id, peers);
  });
  return out;
}
