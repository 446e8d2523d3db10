/**
 * What a chaos run prints at the end: one detail block per failed job (what each invariant saw,
 * the migrations it went through, and its lines in the zincd logs), how long jobs stayed frozen
 * after each kind of fault, and ONE summary line.
 */
import { readFileSync } from 'node:fs';
import type { Lab } from '../lab.js';
import { describeFault, FAULT_KINDS, type FaultKind } from './faults.js';
import type { Incident } from './inject.js';
import { INVARIANTS, type Invariant, type Verdict } from './invariants.js';
import type { TaskResult } from './runner.js';
import { taskName } from './schedule.js';
import { COUNTER_PERIOD_MS, longestGapMs, ticks } from './workload.js';

export interface RunFacts {
  seed: number;
  rounds: number;
  concurrency: number;
  lazyFraction: number;
  hosts: number;
  domains: number;
  durationMs: number;
  settleMs: number;
}

export type Counts = Record<Invariant, number>;

export function countFailures(vs: readonly Verdict[]): Counts {
  const c = Object.fromEntries(INVARIANTS.map((i) => [i, 0])) as Counts;
  for (const v of vs) for (const i of v.failed) c[i] += 1;
  return c;
}

export function passed(c: Counts): boolean {
  return INVARIANTS.every((i) => c[i] === 0);
}

/** `chaos seed=S rounds=R concurrency=C jobs=J lost=L duplicated=D stuck=S gaps=G …`. */
export function summaryLine(f: RunFacts, vs: readonly Verdict[], tasks: readonly TaskResult[]): string {
  const c = countFailures(vs);
  const attempted = tasks.filter((t) => !t.skipped);
  // Judged from the kernel, like everything else: where the job ran when its task was over.
  const moved = attempted.filter((t) => t.endedOn === t.dest).length;
  const stayed = attempted.filter((t) => t.endedOn === t.source).length;
  const struck = attempted.filter((t) => t.fault && t.fault.injectedAt <= t.cliEndedAt).length;
  return (
    `chaos seed=${f.seed} rounds=${f.rounds} concurrency=${f.concurrency} jobs=${vs.length} ` +
    `lost=${c.lost} duplicated=${c.duplicated} stuck=${c.stuck} gaps=${c.gaps} misplaced=${c.misplaced} checksum=${c.checksum} ` +
    `migrations=${attempted.length} moved=${moved} stayed=${stayed} struck-in-flight=${struck} lazy-fraction=${f.lazyFraction} hosts=${f.hosts} domains=${f.domains} ` +
    `duration=${Math.round(f.durationMs / 1000)}s settle=${Math.round(f.settleMs / 1000)}s`
  );
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

export interface FreezeStat {
  kind: FaultKind;
  n: number;
  p50Ms: number;
  maxMs: number;
}

/**
 * One per migration of a counter whose fault struck while it was in flight (before `zinc migrate`
 * returned): the longest silence in the surviving copy's output between the fault's injection and
 * the end of the migration and its fault (a freeze that began earlier or lasted longer counts
 * whole). This includes the migration's own downtime. A fault that came after its migration had
 * ended is not counted: it froze nothing of that migration.
 */
export interface Freeze {
  task: string;
  kind: FaultKind;
  lazy: boolean;
  ms: number;
}

export function freezes(vs: readonly Verdict[], tasks: readonly TaskResult[]): Freeze[] {
  const byJob = new Map(vs.map((v) => [v.job.gpid, v]));
  const out: Freeze[] = [];
  for (const t of tasks) {
    const v = byJob.get(t.job.gpid);
    if (!v || t.job.kind !== 'counter' || !t.fault || t.skipped || t.fault.injectedAt > t.cliEndedAt) continue;
    const g = longestGapMs(ticks('counter', v.stdout), t.fault.injectedAt, t.endedAt);
    if (g !== undefined) out.push({ task: taskName(t.plan), kind: t.plan.fault.kind, lazy: t.plan.lazy, ms: g });
  }
  return out;
}

export function freezeStats(vs: readonly Verdict[], tasks: readonly TaskResult[]): FreezeStat[] {
  return statsOf(freezes(vs, tasks));
}

/** p50 and max per fault kind (also used to pool several runs' reports). */
export function statsOf(fs: readonly Freeze[]): FreezeStat[] {
  return FAULT_KINDS.filter((k) => fs.some((f) => f.kind === k)).map((k) => {
    const xs = fs.filter((f) => f.kind === k).map((f) => f.ms).sort((a, b) => a - b);
    return { kind: k, n: xs.length, p50Ms: quantile(xs, 0.5), maxMs: xs[xs.length - 1] ?? NaN };
  });
}

export function freezeLines(stats: readonly FreezeStat[]): string[] {
  if (stats.length === 0) return ['frozen after a fault: no fault struck a migration of a counter in flight'];
  return [
    `frozen after a fault that struck a migration in flight (longest silence of a counter, printing every ${COUNTER_PERIOD_MS} ms, around the fault until its migration and the fault were over):`,
    ...stats.map((s) => `  ${s.kind.padEnd(15)} n=${String(s.n).padStart(3)}  p50=${(s.p50Ms / 1000).toFixed(2)}s  max=${(s.maxMs / 1000).toFixed(2)}s`),
  ];
}

/** The last lines of each host's zincd log that name the job (pino JSON, shortened). */
function logLines(lab: Lab, gpid: string, perHost = 6): string[] {
  const out: string[] = [];
  for (const h of lab.hosts()) {
    let text = '';
    try {
      text = readFileSync(h.daemonLog, 'utf8');
    } catch {
      continue;
    }
    const hits = text.split('\n').filter((l) => l.includes(gpid)).slice(-perHost);
    for (const l of hits) out.push(`    ${h.id}: ${l.length > 400 ? `${l.slice(0, 400)}…` : l}`);
  }
  return out;
}

export function failureLines(lab: Lab, vs: readonly Verdict[], tasks: readonly TaskResult[], incidents: readonly Incident[]): string[] {
  const out: string[] = [];
  for (const v of vs) {
    if (v.failed.size === 0) continue;
    const j = v.job;
    out.push(`FAIL ${j.label} ${j.gpid} (${j.kind}${j.kind === 'mem' ? ` ${j.bytes} bytes` : ''}, home ${j.home}): ${[...v.failed].join(', ')}`);
    for (const d of v.details) out.push(`  ${d}`);
    for (const t of tasks.filter((x) => x.job.gpid === j.gpid)) {
      const fault = t.fault ? `${describeFault(t.plan.fault)} on ${t.fault.target}, injected ${new Date(t.fault.injectedAt).toISOString()}` : `${t.plan.fault.kind} not applied${t.faultError ? `: ${t.faultError}` : ''}`;
      out.push(`  ${taskName(t.plan)} ${t.source} -> ${t.dest} ${t.plan.lazy ? 'post-copy' : 'stop-and-copy'} at ${new Date(t.startedAt).toISOString()}: ${t.skipped ? `skipped (${t.skipped})` : `zinc migrate: ${t.outcome}; then ran on ${t.endedOn || '?'}`}; ${fault}`);
    }
    out.push('  zincd log lines naming it:', ...logLines(lab, j.gpid));
  }
  for (const i of incidents.filter((x) => x.severe)) out.push(`INCIDENT ${new Date(i.at).toISOString()} ${i.what}`);
  return out;
}
