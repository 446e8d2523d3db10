/**
 * The preemptive balancer: when this host is overloaded and another live host is clearly
 * lighter, migrate one job there. Run on every host by the balancer loop; each host only ever
 * sheds its own jobs, so hosts need no agreement with each other.
 *
 * A move happens only if all of these hold (each failing rule is the reason reported):
 *  1. this host is not draining (drain moves everything, see drain.ts);
 *  2. rate limit: its last move started at least `minInterval` ago;
 *  3. its normalised load L = (load − departed + pending) / (cores × speed) exceeds `threshold`,
 *     where `departed` is the load of jobs it moved away that still lingers in its smoothed load
 *     (Σ cpus·e^(−t/loadTau)), so it does not shed again for a job that has already left;
 *  4. a job may move: running, at least `minAge` old, not moved within `cooldown`, fewer than
 *     `maxMoves` moves within `window`, and no failed move within `cooldown`;
 *  5. "clearly lighter": an alive target T whose normalised load *with the job* is at most
 *     L − margin, and which the active chain's filters accept (memory, draining, domain), its
 *     scorer choosing among `choices` such hosts drawn at random (0: among all of them).
 * Rule 5 with margin > 0 is the hysteresis: after A → B, a move back B → A would need
 * L_A − c ≤ L_B + c − margin … − margin, i.e. margin ≤ 0. Rules 2 and 4 bound what remains
 * (measurement noise, heterogeneous hosts): a job moves at most `maxMoves` times per `window`.
 *
 * Why `choices`: every overloaded host decides alone, from the same gossiped view, at the same
 * moment. If each sent its job to the best-scoring lighter host, hundreds of senders would pick the
 * same few targets and overload them in turn (seen at 1,024 simulated hosts, docs/experiment.md).
 * The best of two random candidates keeps most of the benefit of choosing and spreads the moves
 * (Mitzenmacher, "How useful is old information?", 2000).
 *
 * Jobs are tried oldest-per-byte first: priority = age / max(image, 1 MiB). Lifetimes are
 * heavy-tailed (an old job is likely to run much longer, so moving it pays off for longer) and
 * a small image moves quickly: the ratio is benefit over cost (Harchol-Balter & Downey).
 */
import { z } from 'zod';
import { bytes, duration as span, fixed } from '../placement/describe.js';
import { summarizeRejections } from '../placement/decision.js';
import { duration, int, num } from '../placement/params.js';
import { defineBalancer, type HostEntry, type PolicyContext } from '../placement/plugin.js';
import type { BalanceDecision, BalanceInput, LocalJob } from './types.js';

const MiB = 1024 * 1024;
const SAME_MOVE_MS = 60_000;

const paramsSchema = z
  .object({
    threshold: num(0, 1000),
    margin: num(0, 1000),
    minInterval: duration(),
    cooldown: duration(),
    maxMoves: int(1, 1000),
    window: duration(),
    minAge: duration(),
    loadTau: duration().refine((ms) => ms > 0, 'must be more than 0'),
    choices: int(0, 1000),
  })
  .strict();

export type BalancerParams = z.output<typeof paramsSchema>;

export const BALANCER_DEFAULTS = {
  threshold: '1',
  margin: '0.5',
  minInterval: '3s',
  cooldown: '60s',
  maxMoves: '2',
  window: '10m',
  minAge: '10s',
  loadTau: '5s',
  choices: '2',
} as const;

export const balancer = defineBalancer({
  name: 'balancer',
  kind: 'balancer',
  description: 'preemptive migration: shed one job at a time from an overloaded host to a clearly lighter one',
  defaults: BALANCER_DEFAULTS,
  params: paramsSchema,
  balance: decideMove,
});

/** Normalised load of `h` if `cpus` more runnable threads landed there (pending included). */
function loadWith(h: HostEntry, cpus: number, ctx: PolicyContext<BalancerParams>): number {
  const r = h.record;
  return (r.load + ctx.pending(r.host).cpus + cpus) / (r.cores * r.speed);
}

export function decideMove(input: BalanceInput, ctx: PolicyContext<BalancerParams>): BalanceDecision {
  const { self, hosts, jobs, history, place } = input;
  const p = ctx.params;
  const now = ctx.now;
  const me = self.record.host;
  if (self.record.draining) return { reason: `${me} is draining: drain moves its jobs` };

  const last = history.lastMoveAtMs;
  if (last !== undefined && now - last < p.minInterval) {
    return { reason: `rate limit: last move ${span(now - last)} ago, minInterval ${span(p.minInterval)}` };
  }

  const cap = self.record.cores * self.record.speed;
  const departed = history.departedLoad(now, p.loadTau);
  const load = Math.max(0, self.record.load - departed + ctx.pending(me).cpus) / cap;
  const gone = departed >= 0.05 ? ` (${fixed(departed)} already left)` : '';
  if (!(load > p.threshold)) return { reason: `${me} load ${fixed(load)}/core${gone} ≤ threshold ${fixed(p.threshold)}` };

  const { movable, skipped } = movableJobs(jobs, history, p, now);
  if (movable.length === 0) {
    return { reason: `${me} load ${fixed(load)}/core > threshold ${fixed(p.threshold)} but no job may move${skipped ? `: ${skipped}` : ''}` };
  }

  const ceiling = load - p.margin;
  const others = hosts.filter((h) => h.record.host !== me && h.status === 'alive');
  const exclude = new Set([me]);
  let why = '';
  for (const job of movable) {
    const cpus = job.cpus ?? 1;
    const lighter = others.filter((h) => loadWith(h, cpus, ctx) <= ceiling);
    if (lighter.length === 0) {
      why = noLighterReason(others, cpus, ceiling, p.margin, ctx);
      continue;
    }
    const request = { memBytes: Math.max(job.memBytes, job.imageBytes), domain: job.domain, cpus, gpid: job.gpid, entryHost: me };
    const drawn = p.choices > 0 && lighter.length > p.choices ? sample(lighter, p.choices, ctx.rng) : lighter;
    let d = place(request, drawn, exclude);
    // The drawn few may all fail the chain's filters (memory, domain) while others would pass.
    if (d.chosen === undefined && drawn !== lighter) d = place(request, lighter, exclude);
    const to = d.chosen;
    const target = to === undefined ? undefined : lighter.find((h) => h.record.host === to);
    if (to === undefined || !target) {
      why = `${job.gpid}: no lighter host fits it (${summarizeRejections(d)})`;
      continue;
    }
    const t = target.record;
    const before = (t.load + ctx.pending(to).cpus) / (t.cores * t.speed);
    const reason =
      `balancer: ${me} load ${fixed(load)}/core > threshold ${fixed(p.threshold)}; ` +
      `${to} ${fixed(before)}/core, ${fixed(loadWith(target, cpus, ctx))} with the job (margin ${fixed(p.margin)}); ` +
      `oldest per byte: age ${span(now - job.startedAtMs)}, image ${bytes(job.imageBytes)}`;
    return { move: { gpid: job.gpid, from: me, to, reason, cpus, memBytes: request.memBytes, placement: d }, reason };
  }
  return { reason: `${me} load ${fixed(load)}/core > threshold ${fixed(p.threshold)} but ${why}` };
}

/** `k` distinct entries of `xs` drawn uniformly (partial Fisher–Yates on a copy). */
export function sample<T>(xs: readonly T[], k: number, rng: () => number): T[] {
  const a = [...xs];
  const n = Math.min(k, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng() * (a.length - i));
    const t = a[i] as T;
    a[i] = a[j] as T;
    a[j] = t;
  }
  return a.slice(0, n);
}

/** Jobs that may move now, best first, and a summary of why the others may not. */
export function movableJobs(jobs: readonly LocalJob[], history: BalanceInput['history'], p: BalancerParams, now: number): { movable: LocalJob[]; skipped: string } {
  const counts = { young: 0, cooling: 0, limited: 0, failed: 0 };
  const movable: LocalJob[] = [];
  for (const job of jobs) {
    if (job.state !== 'running') continue;
    if (now - job.startedAtMs < p.minAge) {
      counts.young++;
      continue;
    }
    const times = moveTimes(job, history);
    const lastMove = times.length ? Math.max(...times) : -Infinity;
    if (now - lastMove < p.cooldown) {
      counts.cooling++;
      continue;
    }
    if (times.filter((t) => now - t < p.window).length >= p.maxMoves) {
      counts.limited++;
      continue;
    }
    const failed = history.failedAt(job.gpid);
    if (failed !== undefined && now - failed < p.cooldown) {
      counts.failed++;
      continue;
    }
    movable.push(job);
  }
  movable.sort((a, b) => priority(b, now) - priority(a, now) || (a.gpid < b.gpid ? -1 : a.gpid > b.gpid ? 1 : 0));
  const parts: string[] = [];
  if (counts.young) parts.push(`${counts.young} younger than minAge ${span(p.minAge)}`);
  if (counts.cooling) parts.push(`${counts.cooling} moved within cooldown ${span(p.cooldown)}`);
  if (counts.limited) parts.push(`${counts.limited} moved ${p.maxMoves}× within ${span(p.window)}`);
  if (counts.failed) parts.push(`${counts.failed} failed to move recently`);
  if (parts.length === 0 && jobs.length === 0) parts.push('no jobs here');
  else if (parts.length === 0) parts.push('none is running');
  return { movable, skipped: parts.join(', ') };
}

/**
 * The job's migration times: its own record's (authoritative), plus moves this host started that
 * the record does not show (a record written by an older peer, or a move still settling). The
 * same move appears in both with slightly different times (start vs. arrival): within a minute
 * they are taken as one.
 */
function moveTimes(job: LocalJob, history: BalanceInput['history']): number[] {
  const own = [...job.migratedAtMs];
  for (const t of history.movesOf(job.gpid)) if (!own.some((o) => Math.abs(o - t) < SAME_MOVE_MS)) own.push(t);
  return own;
}

/** Age per byte of image (floored at 1 MiB, so tiny jobs do not all tie at infinity). */
export function priority(job: LocalJob, now: number): number {
  return Math.max(0, now - job.startedAtMs) / Math.max(job.imageBytes, MiB);
}

function noLighterReason(others: readonly HostEntry[], cpus: number, ceiling: number, margin: number, ctx: PolicyContext<BalancerParams>): string {
  let best: HostEntry | undefined;
  let bestLoad = Infinity;
  for (const h of others) {
    const l = loadWith(h, cpus, ctx);
    if (l < bestLoad || (l === bestLoad && best && h.record.host < best.record.host)) {
      best = h;
      bestLoad = l;
    }
  }
  if (!best) return 'no other alive host';
  return `no host clearly lighter: best ${best.record.host} would be ${fixed(bestLoad)}/core with the job, needs ≤ ${fixed(ceiling)} (margin ${fixed(margin)})`;
}
