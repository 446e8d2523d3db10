/**
 * The record every host gossips about itself (proto HostRecord), as a plain typed object, with
 * zod validation of what arrives from the network and conversion to and from the wire.
 */
import { z } from 'zod';
import type { HostRecord } from '../../proto/generated/zinc/v1/HostRecord.js';
import type { GossipEntry as WireEntry } from '../../proto/generated/zinc/v1/GossipEntry.js';
import { NAME_RE, parseHostPort } from '../config/schema.js';
import type { GossipEntry, NdRecord } from './nd-record.js';

export interface HostState extends NdRecord {
  readonly host: string;
  readonly domain: string;
  readonly address: string;
  readonly cores: number;
  readonly speed: number;
  readonly load: number;
  readonly memFreeBytes: number;
  readonly memTotalBytes: number;
  readonly jobs: number;
  readonly draining: boolean;
  readonly incarnation: number;
  readonly version: number;
}

const finite = z.number().finite();
const hostStateSchema = z.object({
  host: z.string().regex(NAME_RE),
  domain: z.string().regex(NAME_RE),
  address: z.string().refine((a) => parseHostPort(a) !== undefined),
  cores: z.number().int().min(1).max(1 << 20),
  speed: finite.positive(),
  load: finite.nonnegative(),
  memFreeBytes: finite.nonnegative(),
  memTotalBytes: finite.nonnegative(),
  jobs: z.number().int().nonnegative(),
  draining: z.boolean(),
  incarnation: finite.nonnegative(),
  version: finite.nonnegative(),
});

export function toWire(s: HostState): HostRecord {
  return {
    host: s.host,
    domain: s.domain,
    address: s.address,
    cores: s.cores,
    speed: s.speed,
    load: s.load,
    memFreeBytes: s.memFreeBytes,
    memTotalBytes: s.memTotalBytes,
    jobs: s.jobs,
    version: s.version,
    incarnation: s.incarnation,
    draining: s.draining,
    updatedAtMs: 0,
  };
}

/** A record from the network, or undefined if it is malformed (it is then ignored, not trusted). */
export function fromWire(r: HostRecord | null | undefined): HostState | undefined {
  if (!r) return undefined;
  const parsed = hostStateSchema.safeParse({
    host: r.host,
    domain: r.domain,
    address: r.address,
    cores: r.cores,
    speed: r.speed,
    load: r.load,
    memFreeBytes: Number(r.memFreeBytes ?? 0),
    memTotalBytes: Number(r.memTotalBytes ?? 0),
    jobs: r.jobs,
    draining: r.draining ?? false,
    incarnation: Number(r.incarnation ?? 0),
    version: Number(r.version ?? 0),
  });
  return parsed.success ? parsed.data : undefined;
}

export function entriesFromWire(entries: WireEntry[] | undefined): { ok: GossipEntry<HostState>[]; rejected: number } {
  const ok: GossipEntry<HostState>[] = [];
  let rejected = 0;
  for (const e of entries ?? []) {
    const record = fromWire(e.record);
    const ageMs = Number(e.ageMs ?? 0);
    if (!record || !Number.isFinite(ageMs) || ageMs < 0) rejected++;
    else ok.push({ record, ageMs });
  }
  return { ok, rejected };
}
