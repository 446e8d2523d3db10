import { DiscoveryOptionsError } from './errors.js';
import type { HostStatus } from './nd-record.js';

/**
 * Three thresholds on one axis, the age of the freshest information about a host:
 *
 *     0 ── alive ── staleAfterMs ── stale ── deadAfterMs ── dead ── forgetAfterMs ── forgotten
 *
 * This matches the daemon config (staleAfterRounds < deadAfterRounds < forgetAfterRounds, each
 * multiplied by gossipInterval), so an operator reasons about a single clock.
 */
export interface NameDropperOptions {
  /** From this age on the record is shown as stale: placement distrusts it. */
  readonly staleAfterMs: number;
  /** From this age on the host is dead: never chosen as a gossip target, never gossiped onward. */
  readonly deadAfterMs: number;
  /** From this age on expire() drops the host. Must exceed deadAfterMs. */
  readonly forgetAfterMs: number;
}

export function checkOptions(o: NameDropperOptions): void {
  const ok =
    Number.isFinite(o.staleAfterMs) &&
    Number.isFinite(o.deadAfterMs) &&
    Number.isFinite(o.forgetAfterMs) &&
    o.staleAfterMs > 0 &&
    o.staleAfterMs < o.deadAfterMs &&
    o.deadAfterMs < o.forgetAfterMs;
  if (!ok) {
    throw new DiscoveryOptionsError(
      `Name Dropper thresholds must satisfy 0 < staleAfter < deadAfter < forgetAfter, got ${o.staleAfterMs} / ${o.deadAfterMs} / ${o.forgetAfterMs} ms`,
      {
        hint: 'set staleAfterRounds < deadAfterRounds < forgetAfterRounds in the config',
        context: { staleAfterMs: o.staleAfterMs, deadAfterMs: o.deadAfterMs, forgetAfterMs: o.forgetAfterMs },
      },
    );
  }
}

/** The daemon config counts in gossip rounds; the core counts in ms. */
export function optionsFromRounds(
  gossipIntervalMs: number,
  rounds: { staleAfterRounds: number; deadAfterRounds: number; forgetAfterRounds: number },
): NameDropperOptions {
  const o = {
    staleAfterMs: rounds.staleAfterRounds * gossipIntervalMs,
    deadAfterMs: rounds.deadAfterRounds * gossipIntervalMs,
    forgetAfterMs: rounds.forgetAfterRounds * gossipIntervalMs,
  };
  checkOptions(o);
  return o;
}

export function statusForAge(ageMs: number, o: NameDropperOptions): HostStatus {
  if (ageMs < o.staleAfterMs) return 'alive';
  if (ageMs < o.deadAfterMs) return 'stale';
  return 'dead';
}
