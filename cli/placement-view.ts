/**
 * Why a job runs where it runs, for `zinc show`: every candidate host, whether it passed the
 * filters, its score and why it lost, winner first (in the spirit of `condor_q -analyze`).
 */
import type { PlacementDecision__Output } from '../proto/generated/zinc/v1/PlacementDecision.js';
import { factorText } from '../daemon/placement/describe.js';
import { clock, table } from './format.js';

/** Factors shown in the table, in this order; the rest follow alphabetically. */
const FACTOR_ORDER = ['load', 'after', 'pending', 'runQueue', 'memFreeBytes', 'ageMs', 'staleTerm', 'memTerm', 'cap'];

export function renderPlacement(d: PlacementDecision__Output): string {
  const head =
    `Placement  ${d.chosen ? `on ${d.chosen}` : 'no host fits'} by ${d.policy || '?'}\n` +
    `           decided by ${d.decidedBy || '?'} at ${clock(Number(d.atMs))} in ${Number(d.decideMs).toFixed(2)} ms, ${d.candidates.length} candidate${d.candidates.length === 1 ? '' : 's'} listed\n`;
  const cands = [...d.candidates].sort((a, b) => {
    const rank = (c: typeof a) => (c.host === d.chosen ? 0 : c.eligible ? 1 : 2);
    return rank(a) - rank(b) || (a.eligible && b.eligible ? b.score - a.score : 0) || a.host.localeCompare(b.host);
  });
  const rows = cands.map((c) => [
    `${c.host}${c.host === d.chosen ? '*' : ''}`,
    c.eligible ? 'yes' : 'no',
    c.eligible ? c.score.toFixed(3) : '-',
    c.reason,
    factors(c.factors),
  ]);
  const body = table(['HOST', 'ELIGIBLE', 'SCORE', 'REASON', 'FACTORS'], rows)
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  return `${head}${body}\n`;
}

function factors(f: Record<string, string>): string {
  const keys = Object.keys(f).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return keys
    .map((k) => {
      const raw = f[k] ?? '';
      const n = Number(raw);
      return `${k}=${raw !== '' && Number.isFinite(n) ? factorText(k, n) : raw}`;
    })
    .join(' ');
}

function rank(key: string): number {
  const i = FACTOR_ORDER.indexOf(key);
  return i < 0 ? FACTOR_ORDER.length : i;
}
