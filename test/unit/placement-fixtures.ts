/** Hosts, views and engines for the placement and balancer tests. */
import type { HostState } from '../../daemon/discovery/host-state.js';
import type { HostStatus } from '../../daemon/discovery/nd-record.js';
import { builtinRegistry } from '../../daemon/placement/builtin.js';
import { DEFAULT_CHAIN, type ChainSpec } from '../../daemon/placement/chain.js';
import { PlacementEngine } from '../../daemon/placement/engine.js';
import type { HostEntry, PlacementRequest } from '../../daemon/placement/plugin.js';
import { createPrng, rngFunction } from '../../infra/experiment/common/prng.js';

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;
export const STALE_MS = 3000;
export const DEAD_MS = 6000;

export function host(name: string, o: Partial<HostState> = {}): HostState {
  return {
    host: name,
    domain: 'd1',
    address: '198.18.0.1:7070',
    cores: 1,
    speed: 1,
    load: 0,
    memFreeBytes: 8 * GiB,
    memTotalBytes: 16 * GiB,
    jobs: 0,
    draining: false,
    incarnation: 1,
    version: 1,
    ...o,
  };
}

export function entry(record: HostState, o: { status?: HostStatus; ageMs?: number; isSelf?: boolean } = {}): HostEntry {
  const ageMs = o.ageMs ?? 500;
  const status: HostStatus = o.status ?? (ageMs >= DEAD_MS ? 'dead' : ageMs >= STALE_MS ? 'stale' : 'alive');
  return { record, status, ageMs, isSelf: o.isSelf ?? false };
}

export function request(o: Partial<PlacementRequest> = {}): PlacementRequest {
  return { memBytes: 0, domain: '', entryHost: 'h1', ...o };
}

/** A hand-driven clock. */
export function manualClock(start = 1_000_000): { now: number; fn: () => number } {
  const c = { now: start, fn: () => c.now };
  return c;
}

export function makeEngine(chain: ChainSpec = DEFAULT_CHAIN, clock: () => number = () => 1_000_000, seed = 7, self = 'h1'): PlacementEngine {
  return new PlacementEngine(builtinRegistry(), chain, clock, rngFunction(createPrng(seed)), {
    selfHost: self,
    staleAfterMs: STALE_MS,
    deadAfterMs: DEAD_MS,
  });
}

export function withScorer(name: string, params: Record<string, string> = {}, filters = DEFAULT_CHAIN.filters): ChainSpec {
  return { ...DEFAULT_CHAIN, filters, scorer: { name, params } };
}
