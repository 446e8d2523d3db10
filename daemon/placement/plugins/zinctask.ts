/**
 * zinctask (seed 004): placement on the full gossiped state rather than run-queue length alone.
 *
 *   cap       = cores × speed                                   (reference cores)
 *   load      = (load + pending) / cap                          normalised load now
 *   after     = (load + pending + cpus) / cap                   …with this job on it
 *   free      = memFree − pending memory
 *   memTerm   = memWeight × min(free / ref, memCap) / memCap    ref = --mem, or memUnit if none
 *   staleTerm = staleWeight × max(0, age − staleAfter) / staleAfter
 *   score     = −after + memTerm − staleTerm                    (higher is better)
 *
 * Records at least maxAge old are refused (score −∞); maxAge "auto" is halfway between the
 * stale and dead thresholds. Using `after` rather than `load` prefers the host where the job
 * itself will run fastest: a 4-core host at 0.5/core (0.75 with the job) beats an idle 1-core
 * host (1.0). `pending` (jobs this host placed that the target's record does not show yet) is
 * what stops a stampede.
 *
 * The choice is drawn at random among the hosts scoring within `spread` of the best. Entry hosts
 * working from the same gossiped view would otherwise all pick the same winner (ties broken by
 * name), herding waves of jobs onto one host in a large grid.
 */
import { z } from 'zod';
import { bytes, fixed, num, seconds } from '../describe.js';
import { durationOrAuto, num as numParam, size } from '../params.js';
import { defineScorer, pickHighest, type DecisionEnv, type HostEntry, type PlacementRequest, type PolicyContext, type Score, type Scored } from '../plugin.js';

const params = z
  .object({
    memWeight: numParam(0, 100),
    memCap: numParam(1, 1e6),
    memUnit: size().refine((b) => b > 0, 'must be more than 0'),
    staleWeight: numParam(0, 1000),
    maxAge: durationOrAuto(),
    spread: numParam(0, 100),
  })
  .strict();

type Params = z.output<typeof params>;

export const zinctask = defineScorer({
  name: 'zinctask',
  kind: 'scorer',
  description: 'normalised CPU load with this job, free memory against the request, distrust of stale records',
  defaults: { memWeight: '0.25', memCap: '4', memUnit: '256M', staleWeight: '1', maxAge: 'auto', spread: '0.05' },
  params,
  acceptsStale: true,
  score(host, request, ctx): Score {
    const limit = maxAgeOf(ctx.params, ctx);
    if (host.ageMs >= limit) {
      return { score: -Infinity, factors: { ageMs: host.ageMs }, reason: `record ${seconds(host.ageMs)} old, at least maxAge ${seconds(limit)}: not trusted` };
    }
    // Only the number here, computed into reused objects so that scoring 10,000 hosts allocates
    // nothing per host (the engine reads a Score before it asks for the next one); factors()
    // recomputes the terms when someone looks.
    RESULT.score = evaluate(host, request, ctx, SCRATCH).score;
    return RESULT;
  },
  pick(scored, ctx) {
    // spread=0: the single best host, ties to the smallest name (deterministic).
    if (ctx.params.spread === 0) return pickHighest(scored);
    let best = -Infinity;
    for (const s of scored) if (s.score > best) best = s.score;
    const near = scored.filter((s) => Number.isFinite(s.score) && s.score >= best - ctx.params.spread);
    if (near.length === 0) return scored[0] as Scored;
    return near[Math.min(near.length - 1, Math.floor(ctx.rng() * near.length))] as Scored;
  },
  factors(host, request, ctx) {
    const { score: _score, ...factors } = evaluate(host, request, ctx, newTerms());
    return factors;
  },
  explain(c, w) {
    const note = num(c.factors, 'staleTerm') > 0 ? ` (record ${seconds(num(c.factors, 'ageMs'))} old, stale)` : '';
    if (c === w) return `best score ${fixed(c.score, 3)}: ${fixed(num(c.factors, 'after'))}/core with this job, ${bytes(num(c.factors, 'memFreeBytes'))} free${note}`;
    const loss = lossReason(c, w);
    return loss.startsWith('record ') ? loss : `${loss}${note}`;
  },
});

function maxAgeOf(p: Params, ctx: DecisionEnv): number {
  return p.maxAge ?? (ctx.staleAfterMs + ctx.deadAfterMs) / 2;
}

interface Terms {
  score: number;
  load: number;
  after: number;
  pending: number;
  cap: number;
  memFreeBytes: number;
  memTerm: number;
  ageMs: number;
  staleTerm: number;
}

function newTerms(): Terms {
  return { score: 0.5, load: 0.5, after: 0.5, pending: 0.5, cap: 0.5, memFreeBytes: 0.5, memTerm: 0.5, ageMs: 0.5, staleTerm: 0.5 };
}

/** Reused by score(); decisions are synchronous, so they are never shared between two of them. */
const SCRATCH = newTerms();
const RESULT: { score: number } = { score: 0.5 };

/** The formula at the top of this file, term by term, written into `t`. */
function evaluate(host: HostEntry, request: PlacementRequest, ctx: PolicyContext<Params>, t: Terms): Terms {
  const r = host.record;
  const { memWeight, memCap, memUnit, staleWeight } = ctx.params;
  const p = ctx.pending(r.host);
  const cap = r.cores * r.speed;
  const load = (r.load + p.cpus) / cap;
  const after = (r.load + p.cpus + (request.cpus ?? 1)) / cap;
  const free = Math.max(0, r.memFreeBytes - p.memBytes);
  const ref = request.memBytes > 0 ? request.memBytes : memUnit;
  const memTerm = (memWeight * Math.min(free / ref, memCap)) / memCap;
  const excess = host.ageMs - ctx.staleAfterMs;
  const staleTerm = excess > 0 ? (staleWeight * excess) / ctx.staleAfterMs : 0;
  t.score = -after + memTerm - staleTerm;
  t.load = load;
  t.after = after;
  t.pending = p.cpus;
  t.cap = cap;
  t.memFreeBytes = free;
  t.memTerm = memTerm;
  t.ageMs = host.ageMs;
  t.staleTerm = staleTerm;
  return t;
}

/** The factor that cost `c` the most against the winner `w`. */
function lossReason(c: Scored, w: Scored): string {
  const W = w.entry.record.host;
  const f = c.factors;
  const g = w.factors;
  const dLoad = num(f, 'after') - num(g, 'after');
  const dMem = num(g, 'memTerm') - num(f, 'memTerm');
  const dStale = num(f, 'staleTerm') - num(g, 'staleTerm');
  const worst = Math.max(dLoad, dMem, dStale);
  if (!(worst > 1e-9)) return `tied with ${W} at ${fixed(c.score, 3)}; ${W} sorts first`;
  if (worst === dLoad) {
    const pend = num(f, 'pending') > 0 ? `, ${fixed(num(f, 'pending'), 0)} just placed` : '';
    if (Math.abs(num(f, 'load') - num(g, 'load')) >= 0.005) return `load ${fixed(num(f, 'load'))}/core${pend} higher than ${W}'s ${fixed(num(g, 'load'))}`;
    return `${fixed(num(f, 'after'))}/core with this job (capacity ${fixed(num(f, 'cap'), 1)}) vs ${W}'s ${fixed(num(g, 'after'))} (capacity ${fixed(num(g, 'cap'), 1)})`;
  }
  if (worst === dStale) return `record ${seconds(num(f, 'ageMs'))} old (stale), distrusted by ${fixed(num(f, 'staleTerm'))}`;
  return `less free memory: ${bytes(num(f, 'memFreeBytes'))} vs ${W}'s ${bytes(num(g, 'memFreeBytes'))}`;
}
