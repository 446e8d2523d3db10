/**
 * A placement decision as recorded with the job and shown by `zinc show`: every host the engine
 * considered, whether it passed the filters, its score, and why it lost (condor_q -analyze style).
 */
import type { PlacementDecision } from '../../proto/generated/zinc/v1/PlacementDecision.js';
import { factorWire } from './describe.js';
import type { Factors } from './plugin.js';
import type { PendingToken } from './pending.js';

export interface CandidateResult {
  readonly host: string;
  /** Passed every filter and was scored. */
  readonly eligible: boolean;
  /** Higher is better; NaN when not eligible. */
  readonly score: number;
  /** Why it was filtered out, why it lost, or why it won. */
  readonly reason: string;
  readonly factors: Factors;
}

export interface Decision {
  /** The chain as text, e.g. "mem-fit,not-draining,domain > zinctask". */
  readonly policy: string;
  readonly chainVersion: number;
  /** The chosen host, or undefined when none fits (then `reason` says why). */
  readonly chosen: string | undefined;
  readonly reason: string;
  readonly decidedBy: string;
  readonly atMs: number;
  /** Every host of the view, in view order. `ranked()` orders them for display. */
  readonly candidates: readonly CandidateResult[];
  /** Wall time of the decision itself (filters, scores, pick, explanations). */
  readonly decideMs: number;
  /** Set when the decision reserved the chosen host (stampede accounting). */
  readonly pending?: PendingToken;
}

/** Winner first, then the eligible by score (best first), then the rest; ties by host name. */
export function ranked(d: Decision): CandidateResult[] {
  const rank = (c: CandidateResult) => (c.host === d.chosen ? 0 : c.eligible ? 1 : 2);
  return [...d.candidates].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb) return ra - rb;
    if (ra === 1 && a.score !== b.score) return b.score - a.score;
    return a.host < b.host ? -1 : a.host > b.host ? 1 : 0;
  });
}

/**
 * The proto PlacementDecision. `maxCandidates` keeps the record small for large grids (a decision
 * over 10,000 hosts would otherwise be megabytes per job): the winner and the best others stay.
 */
export function toWire(d: Decision, opts: { maxCandidates?: number } = {}): PlacementDecision {
  const all = ranked(d);
  const kept = opts.maxCandidates === undefined ? all : all.slice(0, Math.max(1, opts.maxCandidates));
  return {
    policy: d.policy,
    chosen: d.chosen ?? '',
    atMs: d.atMs,
    decidedBy: d.decidedBy,
    decideMs: Math.round(d.decideMs * 1000) / 1000,
    candidates: kept.map((c) => ({
      host: c.host,
      eligible: c.eligible,
      score: c.eligible && Number.isFinite(c.score) ? c.score : 0,
      reason: c.reason,
      factors: Object.fromEntries(Object.entries(c.factors).map(([k, v]) => [k, factorWire(v)])),
    })),
  };
}

/**
 * One line on why nothing fits, grouped by the stage that refused: "6 hosts: 3 mem-fit (free
 * memory 200 MiB < 512 MiB requested), 2 not-draining, 1 dead".
 */
export function summarizeRejections(d: Decision): string {
  if (d.candidates.length === 0) return 'no hosts are known yet (is gossip running? see `zinc hosts`)';
  const groups = new Map<string, { n: number; example: string }>();
  for (const c of d.candidates) {
    if (c.eligible) continue;
    const colon = c.reason.indexOf(':');
    const stage = colon > 0 ? c.reason.slice(0, colon) : c.reason;
    const g = groups.get(stage);
    if (g) g.n++;
    else groups.set(stage, { n: 1, example: colon > 0 ? c.reason.slice(colon + 1).trim() : '' });
  }
  const parts = [...groups.entries()]
    .sort((a, b) => b[1].n - a[1].n)
    .map(([stage, g]) => `${g.n} ${stage}${g.example && g.n > 0 ? ` (e.g. ${g.example})` : ''}`);
  return `${d.candidates.length} host${d.candidates.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}
