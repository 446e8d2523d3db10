/**
 * One run on the real lab: a fresh lab, the run's policy on every host, the workload submitted at
 * its arrival times to the entry domain's hosts in turn, then wait until every job has ended or
 * the drain limit passes, collect every job's fate from the daemons, and remove the lab.
 *
 * A fresh lab per run (about 4 s on the project's machine) rather than a reset between runs:
 * nothing carries over from one run to the next (smoothed loads, pending reservations, balancer
 * histories, job records, CRIU images), which is what the ANOVA's independent errors assume, and
 * whatever a run leaves behind (a job still running at the drain limit, a migration half done) is
 * removed by the lab's own cleanup, by cgroup, namespace and pid. The lab is removed in a
 * `finally`, so an error or Ctrl-C (the abort signal) never leaves it behind.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JobInfo__Output } from '../../proto/generated/zinc/v1/JobInfo.js';
import { Lab } from '../lab/lab.js';
import { installRoot } from '../lab/paths.js';
import { chainFor, entryHostsOf, hostsOf, type ExperimentConfig } from './config.js';
import type { PlannedRun } from './design.js';
import { LabClient } from './lab-client.js';
import { labTopology } from './lab-topology.js';
import type { JobOutcome } from './measures.js';
import type { ObservedMigration, RunResult } from './run-result.js';
import type { GeneratedJob, Workload } from './workload/generator.js';
import { IMAGE_OVERHEAD_BYTES } from './sim/simulate.js';

export interface LabRunStatus {
  readonly phase: string;
  readonly submitted: number;
  readonly ended: number;
  readonly total: number;
}

export interface LabRunOptions {
  readonly config: ExperimentConfig;
  readonly run: PlannedRun;
  readonly workload: Workload;
  readonly signal: AbortSignal;
  /** Progress of this run, a few times a second at most. */
  readonly onStatus?: (s: LabRunStatus) => void;
  /** Where to keep the daemons' logs when the run fails (or always, with keepLogs). */
  readonly logsDir?: string;
  readonly keepLogs?: boolean;
  readonly log?: (line: string) => void;
}

const POLL_MS = 1000;

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, Math.max(0, ms));
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** The job's name in zinc: unique within a run, so that its record can be found without its GPID. */
function jobName(job: Pick<GeneratedJob, 'id' | 'cls'>): string {
  return `x${job.id}-${job.cls}`;
}

/** The burn command of a job: exactly cpuMs of CPU time, holding memBytes. */
export function burnArgv(job: Pick<GeneratedJob, 'cpuMs' | 'memBytes'>): string[] {
  return [join(installRoot(), 'build', 'zinc-testjob'), 'burn', String(job.cpuMs), String(job.memBytes)];
}

export async function runOnLab(o: LabRunOptions): Promise<RunResult> {
  const { config, run, workload, signal } = o;
  const wall0 = Date.now();
  const log = o.log ?? (() => undefined);
  const status = (phase: string, submitted = 0, ended = 0): void => o.onStatus?.({ phase, submitted, ended, total: workload.jobs.length });
  const hosts = hostsOf(config.topology);
  const entryHosts = entryHostsOf(config, run.cell.levels.entry).map((h) => h.id);
  const notes: string[] = [];

  status('building the lab');
  const lab = await Lab.up({
    name: config.lab.name,
    topology: labTopology(config.topology),
    peering: 'full',
    daemonArgs: config.lab.daemonArgs,
    signal,
    log,
  });
  const client = new LabClient(new Map(lab.hosts().map((h) => [h.id, h.socket])));
  let failed = true;
  try {
    status('waiting for gossip');
    await converge(client, hosts.map((h) => h.id), config.lab.convergeTimeoutS * 1000, signal);

    const chain = chainFor(config, run.cell.levels.placement, run.cell.levels.migration === 'on' ? 'on' : 'off');
    const set = await client.setChainEverywhere(hosts[0]?.id ?? '', chain);
    const missed = hosts.map((h) => h.id).filter((h) => !set.changed.includes(h));
    if (set.failed.length > 0 || missed.length > 0) throw new Error(`policy not set on ${[...set.failed, ...missed].join(', ')}`);

    // The run starts now: arrivals are relative to t0.
    const t0 = Date.now();
    const submitted = new Map<string, { job: GeneratedJob; atMs: number }>();
    const failedSubmits: Array<{ job: GeneratedJob; atMs: number }> = [];
    // Jobs whose submit has not answered yet (pending = submitting.size).
    const submitting = new Map<number, { job: GeneratedJob; atMs: number }>();
    const submitAll = (async () => {
      let k = 0;
      for (const job of workload.jobs) {
        await sleep(t0 + job.arrivalMs - Date.now(), signal);
        if (signal.aborted) return;
        const entry = entryHosts[k++ % entryHosts.length] ?? '';
        const atMs = Date.now() - t0;
        submitting.set(job.id, { job, atMs });
        // Not awaited: a slow submit must not delay the next arrival.
        void client
          .submit(entry, burnArgv(job), jobName(job))
          .then(
            (r) => submitted.set(r.gpid, { job, atMs }),
            (err: unknown) => {
              failedSubmits.push({ job, atMs });
              if (failedSubmits.length <= 3) notes.push(`submit of job ${job.id} failed: ${err instanceof Error ? err.message : String(err)}`);
            },
          )
          .finally(() => submitting.delete(job.id));
      }
    })();

    const limit = t0 + (config.window.arrivalS + config.window.drainLimitS) * 1000;
    let arrivalsDone = false;
    void submitAll.then(() => (arrivalsDone = true));
    for (;;) {
      await sleep(POLL_MS, signal);
      if (signal.aborted) break;
      // A daemon too busy to answer one poll is no reason to fail the run: poll again.
      const lists = await listAll(client, hosts.map((h) => h.id)).catch(() => undefined);
      const ended = lists ? countEnded(lists, submitted) : -1;
      if (lists) status(arrivalsDone ? 'draining' : 'jobs arriving', submitted.size + failedSubmits.length, ended + failedSubmits.length);
      if (arrivalsDone && submitting.size === 0 && ended === submitted.size) break;
      if (Date.now() >= limit) break;
    }
    await submitAll;
    // A submit still unanswered a few seconds after the limit is not waited for (its call may run
    // to the CLI's 60 s deadline): it is looked up by name below, like a failed one.
    const giveUp = Math.max(limit, Date.now()) + 5000;
    while (submitting.size > 0 && Date.now() < giveUp && !signal.aborted) await sleep(50);
    const stoppedMs = Date.now() - t0;
    if (signal.aborted) throw new Error('aborted');
    if (submitting.size > 0) notes.push(`${submitting.size} submits had not answered at the drain limit`);
    const unanswered = [...submitting.values()];

    status('collecting');
    const final = authoritative(await retry(3, () => listAll(client, hosts.map((h) => h.id))));
    const outcomes: JobOutcome[] = [];
    const migrations: ObservedMigration[] = [];
    const domainOf = new Map(hosts.map((h) => [h.id, h.domain]));
    // Snapshots: a late submit may still answer while this collects (it is counted once).
    const counted = new Set<number>();
    for (const [gpid, s] of [...submitted]) {
      counted.add(s.job.id);
      const info = final.get(gpid);
      const outcome = outcomeOf(s.job, s.atMs, info, t0);
      outcomes.push(outcome);
      if (outcome.fate === 'failed' && info) {
        const exit = info.exit?.signal ? `signal ${info.exit.signal}` : `exit ${info.exit?.code ?? '?'}`;
        notes.push(`job ${s.job.id} (${gpid}) on ${info.host} failed: ${String(info.state).replace('JOB_STATE_', '').toLowerCase()}, ${exit}${info.reason ? `, ${info.reason}` : ''}`);
      }
      // List leaves the events out; ask for them where the job is, only for jobs that moved.
      if (info && Number(info.migrations ?? 0) > 0) {
        const full = await client.show(info.host, gpid).catch(() => undefined);
        if (full) migrations.push(...migrationsOf(full, s.job.memBytes + IMAGE_OVERHEAD_BYTES, domainOf));
      }
    }
    // A submit can fail on the caller's side and still start the job (the forwarded call timed
    // out while the target was starting it): find such jobs by their unique name.
    const byName = new Map([...final.values()].map((info) => [info.name, info]));
    let ranAnyway = 0;
    for (const f of [...failedSubmits, ...unanswered]) {
      if (counted.has(f.job.id)) continue;
      counted.add(f.job.id);
      const info = byName.get(jobName(f.job));
      if (info) {
        ranAnyway++;
        outcomes.push(outcomeOf(f.job, f.atMs, info, t0));
        continue;
      }
      outcomes.push({ id: f.job.id, cls: f.job.cls, cpuMs: f.job.cpuMs, memBytes: f.job.memBytes, submittedMs: f.atMs, endedMs: null, fate: 'failed', migrations: 0, firstHost: '', finalHost: '' });
    }
    if (ranAnyway) notes.push(`${ranAnyway} of the failed submits had started the job all the same (found by name); counted as submitted`);
    if (failedSubmits.length > 3) notes.push(`${failedSubmits.length} submits failed in all`);
    outcomes.sort((a, b) => a.id - b.id);
    failed = false;
    return { outcomes, stoppedMs, migrations, wallMs: Date.now() - wall0, notes };
  } finally {
    client.close();
    if (o.logsDir && (failed || o.keepLogs)) keepDaemonLogs(lab.labDir, join(o.logsDir, `run-${run.order}`));
    status('removing the lab');
    await lab.down();
  }
}

async function retry<T>(attempts: number, f: () => Promise<T>): Promise<T> {
  for (let k = 1; ; k++) {
    try {
      return await f();
    } catch (err) {
      if (k >= attempts) throw err;
      await sleep(1000);
    }
  }
}

/** Waits until every host sees every host alive (Name Dropper has converged). */
async function converge(client: LabClient, ids: readonly string[], timeoutMs: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const views = await Promise.all(ids.map((h) => client.aliveSeenBy(h).catch(() => [] as string[])));
    const lagging = ids.filter((_, i) => ids.some((x) => !(views[i] ?? []).includes(x)));
    if (lagging.length === 0) return;
    if (signal.aborted) throw new Error('aborted');
    if (Date.now() > deadline) throw new Error(`gossip did not converge in ${timeoutMs / 1000} s: ${lagging.join(', ')} still miss hosts`);
    await sleep(250, signal);
  }
}

async function listAll(client: LabClient, ids: readonly string[]): Promise<Array<{ host: string; jobs: readonly JobInfo__Output[] }>> {
  return Promise.all(ids.map((h) => client.list(h)));
}

/** For each GPID, the record kept where the job is (or ended): the one whose location is its host. */
function authoritative(lists: ReadonlyArray<{ host: string; jobs: readonly JobInfo__Output[] }>): Map<string, JobInfo__Output> {
  const out = new Map<string, JobInfo__Output>();
  for (const l of lists) {
    for (const j of l.jobs) {
      if (j.host === l.host) out.set(j.gpid, j);
      else if (!out.has(j.gpid)) out.set(j.gpid, j); // a forwarding record, until the real one is found
    }
  }
  return out;
}

const ENDED = new Set(['JOB_STATE_EXITED', 'JOB_STATE_KILLED', 'JOB_STATE_FAILED']);

function countEnded(lists: ReadonlyArray<{ host: string; jobs: readonly JobInfo__Output[] }>, submitted: ReadonlyMap<string, unknown>): number {
  let n = 0;
  for (const [gpid, info] of authoritative(lists)) if (submitted.has(gpid) && ENDED.has(String(info.state))) n++;
  return n;
}

function outcomeOf(job: GeneratedJob, submittedMs: number, info: JobInfo__Output | undefined, t0: number): JobOutcome {
  const base = { id: job.id, cls: job.cls, cpuMs: job.cpuMs, memBytes: job.memBytes, submittedMs };
  if (!info) return { ...base, endedMs: null, fate: 'unfinished', migrations: 0, firstHost: '', finalHost: '' };
  const state = String(info.state);
  const ok = state === 'JOB_STATE_EXITED' && (info.exit?.code ?? 0) === 0 && !info.exit?.signal;
  const fate = ok ? 'completed' : ENDED.has(state) ? 'failed' : 'unfinished';
  return {
    ...base,
    endedMs: fate === 'completed' ? Number(info.endedAtMs) - t0 : null,
    fate,
    migrations: Number(info.migrations ?? 0),
    firstHost: info.hops[0] ?? info.host,
    finalHost: info.host,
  };
}

/** Each migration in the job's events: "migrating" on the source, then "migrated" on the destination. */
function migrationsOf(info: JobInfo__Output, bytes: number, domainOf: ReadonlyMap<string, string>): ObservedMigration[] {
  const out: ObservedMigration[] = [];
  let start: { at: number; from: string } | undefined;
  for (const e of info.events) {
    if (e.type === 'migrating') start = { at: Number(e.atMs), from: e.host };
    else if (e.type === 'migrated' && start) {
      out.push({ fromDomain: domainOf.get(start.from) ?? '', toDomain: domainOf.get(e.host) ?? '', bytes, ms: Number(e.atMs) - start.at });
      start = undefined;
    } else if (e.type === 'rolled-back') start = undefined;
  }
  return out;
}

function keepDaemonLogs(labDir: string, to: string): void {
  const from = join(labDir, 'logs');
  if (!existsSync(from)) return;
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from)) {
    try {
      copyFileSync(join(from, f), join(to, f));
    } catch {
      // A log that vanished is no reason to fail the run.
    }
  }
}
