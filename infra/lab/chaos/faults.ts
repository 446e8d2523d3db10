/**
 * The fault catalogue: what can go wrong during a migration, how likely each fault is, and how
 * its moment and duration are drawn. A fault is pure data here; inject.ts carries it out.
 */
import type { Rng } from './random.js';

export const FAULT_KINDS = [
  'kill-source', // SIGKILL of the source zincd, restarted after `downMs`
  'kill-dest', // SIGKILL of the destination zincd, restarted after `downMs`
  'restart-source', // SIGTERM (graceful stop) of the source zincd, restarted after `downMs`
  'restart-dest', // the same on the destination
  'cut-link', // the WAN link of the source's or the destination's domain is cut for `downMs`
  'drain', // `zinc drain` of the source or the destination, `zinc undrain` after `downMs`
  'kill-all', // SIGKILL of every zincd in the lab at once, all restarted after `downMs`
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Which end of the migration a one-sided fault hits (a cut hits that end's domain). */
export type Side = 'source' | 'destination';

export interface Fault {
  kind: FaultKind;
  side: Side;
  /** From the start of the migration to the injection. */
  delayMs: number;
  /** How long the fault lasts before it is reverted (daemon restarted, link healed, undrained). */
  downMs: number;
}

/** Relative weights. A kill of every daemon is rare, as on a real bad day, but it does happen. */
const WEIGHTS: ReadonlyArray<readonly [FaultKind, number]> = [
  ['kill-source', 20],
  ['kill-dest', 20],
  ['restart-source', 8],
  ['restart-dest', 8],
  ['cut-link', 20],
  ['drain', 14],
  ['kill-all', 6],
];

/** [min, max] of the fault's duration, by kind: long enough to matter, short enough for a round. */
const DOWN_MS: Record<FaultKind, readonly [number, number]> = {
  'kill-source': [200, 3000],
  'kill-dest': [200, 3000],
  'restart-source': [100, 1500],
  'restart-dest': [100, 1500],
  'cut-link': [1000, 10_000],
  drain: [1000, 6000],
  'kill-all': [500, 3000],
};

export function drawFault(rng: Rng): Fault {
  const kind = rng.weighted(WEIGHTS);
  const side: Side = kind === 'kill-source' || kind === 'restart-source' ? 'source' : kind === 'kill-dest' || kind === 'restart-dest' ? 'destination' : rng.pick(['source', 'destination'] as const);
  // Half of the faults land in the first second, where a small job's whole migration (and a
  // post-copy's critical dump-to-restore window) happens; the rest anywhere in the first 5 s.
  const delayMs = rng.chance(0.5) ? rng.int(0, 1000) : rng.int(0, 5000);
  const [lo, hi] = DOWN_MS[kind];
  return { kind, side, delayMs, downMs: rng.int(lo, hi) };
}

/** e.g. "kill-source at +0.80s for 1.50s", "cut-link(destination) at +2.10s for 7.00s". */
export function describeFault(f: Fault): string {
  const oneSided = f.kind === 'cut-link' || f.kind === 'drain';
  return `${f.kind}${oneSided ? `(${f.side})` : ''} at +${(f.delayMs / 1000).toFixed(2)}s for ${(f.downMs / 1000).toFixed(2)}s`;
}
