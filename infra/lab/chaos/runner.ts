/**
 * Runs a schedule: rounds start at their planned gaps and overlap, each starting up to C
 * migrations, each with its own fault at its own moment. A job is in at most one migration at a
 * time (a task waits for its job), and at most 2·C migrations are in flight, so that overlapping
 * rounds do not pile up without bound on a small machine.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Lab } from '../lab.js';
import { sleep } from '../run.js';
import { copiesOf, describeCopies, isRunnable } from './copies.js';
import type { FaultInjector, Applied } from './inject.js';
import { KeyedLock } from './locks.js';
import { formatTask, taskName, type Schedule, type TaskPlan } from './schedule.js';
import type { ChaosJob } from './workload.js';

export interface TaskResult {
  plan: TaskPlan;
  job: ChaosJob;
  /** Where the job actually was and where it was sent (differs from the plan after a rollback). */
  source: string;
  dest: string;
  /** Set when the migration was not attempted, with why. */
  skipped?: string;
  startedAt: number;
  endedAt: number;
  /** What `zinc migrate` said: "migrated", "rolled back", "failed", or its error line. */
  outcome: string;
  /** Where the job's one runnable copy was when the task ended ('' if not exactly one). */
  endedOn: string;
  /** When `zinc migrate` returned: a fault injected before then struck the migration in flight. */
  cliEndedAt: number;
  fault?: Applied;
  faultError?: string;
}

const MIGRATE_TIMEOUT_MS = 180_000;
const LOCATE_TIMEOUT_MS = 30_000;
const BEGIN_TIMEOUT_MS = 5_000;
const GOSSIP_WAIT_MS = 15_000;

const Summary = z.object({ outcome: z.string(), reason: z.string().optional(), to: z.string().optional() }).passthrough();

export interface RunnerOptions {
  lab: Lab;
  schedule: Schedule;
  jobs: readonly ChaosJob[];
  concurrency: number;
  injector: FaultInjector;
  log: (line: string) => void;
  signal?: AbortSignal;
}

export interface RunOutcome {
  tasks: TaskResult[];
  /** Rounds started; fewer than planned if the run was interrupted. */
  rounds: number;
}

/** Runs the rounds; an abort stops new rounds, and the migrations in flight end normally. */
export async function runSchedule(o: RunnerOptions): Promise<RunOutcome> {
  const jobLocks = new KeyedLock();
  const results: TaskResult[] = [];
  const inFlight = new Set<Promise<void>>();
  let lastStart = Date.now();
  let started = 0;
  for (const round of o.schedule.rounds) {
    await sleep(Math.max(0, lastStart + round.gapMs - Date.now()));
    while (inFlight.size > o.concurrency) await Promise.race(inFlight);
    if (o.signal?.aborted) break;
    lastStart = Date.now();
    started += 1;
    o.log(`round ${round.index + 1}/${o.schedule.rounds.length}: ${round.tasks.length} migrations (${inFlight.size} still in flight)`);
    for (const t of round.tasks) {
      const job = o.jobs[t.job];
      if (!job) continue;
      const p = jobLocks
        .with([job.label], () => runTask(o, t, job))
        .then((r) => {
          results.push(r);
          o.log(`${taskName(t)} ${job.label} ${r.source} -> ${r.dest}: ${r.skipped ? `skipped (${r.skipped})` : `${r.outcome}; runs on ${r.endedOn || '?'}`}${r.faultError ? `; fault failed: ${r.faultError}` : ''}`);
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  }
  await Promise.all(inFlight);
  return { tasks: results.sort((a, b) => a.plan.round - b.plan.round || a.plan.slot - b.plan.slot), rounds: started };
}

async function runTask(o: RunnerOptions, t: TaskPlan, job: ChaosJob): Promise<TaskResult> {
  await sleep(t.startOffsetMs);
  const startedAt = Date.now();
  const base = { plan: t, job, startedAt };
  const source = await locate(o.lab, job.gpid);
  if (typeof source !== 'string') {
    return { ...base, source: '?', dest: t.to, skipped: `no single running copy to move after ${LOCATE_TIMEOUT_MS / 1000}s: ${source.detail}`, endedAt: Date.now(), outcome: 'skipped', endedOn: '', cliEndedAt: 0 };
  }
  // A rollback may have left the job where the plan meant to send it; then it goes to the next
  // host in lab order instead, which depends only on where it is.
  const hosts = o.lab.hosts().map((h) => h.id);
  const dest = source !== t.to ? t.to : (hosts[(hosts.indexOf(source) + 1) % hosts.length] ?? t.to);
  o.log(`start ${formatTask({ ...t, from: source, to: dest }, o.schedule.jobs)}`);

  // Faults are timed from the moment the migration exists on the source, not from the CLI's
  // start (which alone can take a second on a loaded machine), so that they land in its phases.
  const seen = migrationIds(o.lab, source, job.gpid);
  await knows(o.lab, source, dest);
  let cliDone = false;
  let cliEndedAt = 0;
  const migrating = o.lab
    .zinc(source, ['migrate', job.gpid, '--to', dest, ...(t.lazy ? ['--lazy'] : []), '--json'], { timeoutMs: MIGRATE_TIMEOUT_MS })
    .then((r) => {
      if (r.code === 0) {
        try {
          const s = Summary.parse(JSON.parse(r.stdout));
          return s.outcome + (s.reason ? ` (${s.reason})` : '');
        } catch {
          return `exit 0 with unreadable output: ${r.stdout.slice(0, 200)}`;
        }
      }
      return `exit ${r.code}: ${r.stderr.trim().split('\n')[0] ?? ''}`;
    })
    .finally(() => {
      cliDone = true;
      cliEndedAt = Date.now();
    });
  const faulting = began(o.lab, source, job.gpid, seen, () => cliDone).then(() => sleep(t.fault.delayMs)).then(() =>
    o.injector.apply(t.fault, source, dest).then(
      (a) => ({ applied: a, error: undefined }),
      (err: unknown) => ({ applied: undefined, error: err instanceof Error ? err.message : String(err) }),
    ),
  );
  const [outcome, f] = await Promise.all([migrating, faulting]);
  const cs = copiesOf(o.lab, job.gpid);
  const endedOn = cs.length === 1 && cs[0] && isRunnable(cs[0]) ? cs[0].host : '';
  return { ...base, source, dest, endedAt: Date.now(), outcome, endedOn, cliEndedAt, fault: f.applied, faultError: f.error };
}

function migrationIds(lab: Lab, host: string, gpid: string): Set<string> {
  try {
    return new Set(readdirSync(join(lab.host(host).stateDir, 'migrations')).filter((id) => id.startsWith(`${gpid}-`)));
  } catch {
    return new Set();
  }
}

/** Resolves when a new migration record of the job appears on the source, the CLI has ended, or
 * BEGIN_TIMEOUT_MS passed (a refused offer leaves no record). */
async function began(lab: Lab, host: string, gpid: string, before: ReadonlySet<string>, cliDone: () => boolean): Promise<void> {
  const deadline = Date.now() + BEGIN_TIMEOUT_MS;
  while (Date.now() < deadline && !cliDone()) {
    for (const id of migrationIds(lab, host, gpid)) if (!before.has(id)) return;
    await sleep(20);
  }
}

const Hosts = z.array(z.object({ record: z.object({ host: z.string() }).passthrough().nullable().optional() }).passthrough());

/**
 * A zincd that was just restarted knows no peers until gossip reaches it: its `migrate --to` says
 * "unknown host", and as a destination it refuses an offer from a host it has no record of. So
 * that a migration is not refused before it begins (another fault may still strike between this
 * check and the offer: that is part of the run), wait, bounded, until both ends know each other.
 */
async function knows(lab: Lab, source: string, dest: string): Promise<void> {
  const deadline = Date.now() + GOSSIP_WAIT_MS;
  const pending = new Map([
    [source, dest],
    [dest, source],
  ]);
  while (pending.size > 0 && Date.now() < deadline) {
    for (const [asker, other] of [...pending]) {
      const r = await lab.zinc(asker, ['hosts', '--json'], { timeoutMs: 20_000 });
      try {
        if (Hosts.parse(JSON.parse(r.stdout)).some((h) => h.record?.host === other)) pending.delete(asker);
      } catch {
        // not answering (yet)
      }
    }
    if (pending.size > 0) await sleep(300);
  }
}

/** The host of the job's one runnable copy, waiting a while for an earlier fault to settle. */
async function locate(lab: Lab, gpid: string): Promise<string | { detail: string }> {
  const deadline = Date.now() + LOCATE_TIMEOUT_MS;
  for (;;) {
    const cs = copiesOf(lab, gpid);
    const only = cs.length === 1 ? cs[0] : undefined;
    if (only && isRunnable(only)) return only.host;
    if (Date.now() > deadline) return { detail: describeCopies(cs) };
    await sleep(250);
  }
}
