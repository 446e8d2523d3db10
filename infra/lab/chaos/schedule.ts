/**
 * The schedule: every decision of a chaos run, drawn from the seed before anything runs, so that
 * the same seed and settings on the same topology give the same schedule (printed at the start,
 * to replay a failure). At run time the only deviations are forced by what happened: a job that a
 * fault left on another host than planned leaves from where it is (see runner.ts).
 */
import { describeFault, drawFault, type Fault } from './faults.js';
import { Rng } from './random.js';
import type { JobPlan } from './workload.js';

export interface ScheduleOptions {
  seed: number;
  rounds: number;
  concurrency: number;
  jobs: number;
  lazyFraction: number;
  /** The lab's hosts in lab order, with their domains. */
  hosts: ReadonlyArray<{ id: string; domain: string }>;
}

export interface TaskPlan {
  round: number;
  slot: number;
  /** Index into Schedule.jobs. */
  job: number;
  /** Where the job is expected to be if every earlier migration succeeded. */
  from: string;
  to: string;
  lazy: boolean;
  /** From the round's start to this migration's start. */
  startOffsetMs: number;
  fault: Fault;
}

export interface RoundPlan {
  index: number;
  /** From the previous round's start (rounds overlap: the previous one need not have ended). */
  gapMs: number;
  tasks: TaskPlan[];
}

export interface Schedule {
  seed: number;
  jobs: JobPlan[];
  rounds: RoundPlan[];
}

const MIB = 1 << 20;

export function planSchedule(o: ScheduleOptions): Schedule {
  const hosts = o.hosts;
  if (hosts.length < 2) throw new RangeError('a chaos schedule needs at least two hosts');
  const jobRng = new Rng(o.seed, 'chaos', 'jobs');
  const jobs: JobPlan[] = [];
  for (let i = 0; i < o.jobs; i++) {
    const kind = i % 2 === 0 ? 'counter' : 'mem';
    const home = hosts[i % hosts.length]?.id ?? '';
    jobs.push({ index: i, label: `j${i}`, kind, bytes: kind === 'mem' ? jobRng.int(4, 24) * MIB : 0, home });
  }

  const rng = new Rng(o.seed, 'chaos', 'rounds');
  const where = jobs.map((j) => j.home);
  let previous = new Set<number>();
  const rounds: RoundPlan[] = [];
  for (let r = 0; r < o.rounds; r++) {
    const gapMs = r === 0 ? 0 : rng.int(2000, 6000);
    const used = new Set<number>();
    const tasks: TaskPlan[] = [];
    for (let slot = 0; slot < o.concurrency; slot++) {
      // Prefer jobs the previous round did not touch: they are likely free again already.
      let pool = jobs.map((j) => j.index).filter((i) => !used.has(i) && !previous.has(i));
      if (pool.length === 0) pool = jobs.map((j) => j.index).filter((i) => !used.has(i));
      if (pool.length === 0) break;
      const job = rng.pick(pool);
      used.add(job);
      const fault = drawFault(rng);
      const from = where[job] ?? '';
      const fromDomain = hosts.find((h) => h.id === from)?.domain;
      const others = hosts.filter((h) => h.id !== from);
      // A cut only separates a migration's two ends if they are in different domains.
      const crossing = others.filter((h) => h.domain !== fromDomain);
      const to = rng.pick(fault.kind === 'cut-link' && crossing.length > 0 ? crossing : others).id;
      const lazy = rng.chance(o.lazyFraction);
      const startOffsetMs = rng.int(0, 1500);
      tasks.push({ round: r, slot, job, from, to, lazy, startOffsetMs, fault });
      where[job] = to;
    }
    previous = used;
    rounds.push({ index: r, gapMs, tasks });
  }
  return { seed: o.seed, jobs, rounds };
}

export function taskName(t: TaskPlan): string {
  return `r${String(t.round + 1).padStart(2, '0')}.${t.slot + 1}`;
}

export function formatTask(t: TaskPlan, jobs: readonly JobPlan[]): string {
  const j = jobs[t.job];
  const what = j ? `${j.label}(${j.kind})` : `j${t.job}`;
  return `${taskName(t)} +${(t.startOffsetMs / 1000).toFixed(2)}s ${what} ${t.from} -> ${t.to} ${t.lazy ? 'post-copy' : 'stop-and-copy'}; fault ${describeFault(t.fault)}`;
}

/** The schedule as text: jobs, then every round's gap and tasks. */
export function formatSchedule(s: Schedule): string[] {
  const out = [`jobs: ${s.jobs.map((j) => `${j.label}=${j.kind}${j.kind === 'mem' ? `:${j.bytes / MIB}MiB` : ''}@${j.home}`).join(' ')}`];
  for (const r of s.rounds) {
    out.push(`round ${r.index + 1} at +${(r.gapMs / 1000).toFixed(2)}s after the previous one`);
    for (const t of r.tasks) out.push(`  ${formatTask(t, s.jobs)}`);
  }
  return out;
}
