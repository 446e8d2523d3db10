/**
 * A chaos run end to end: build (or attach to) a lab, start verifiable jobs, run the seeded
 * schedule of overlapping migrations and faults, settle, check the invariants, print the result,
 * and remove what it built. `zinc-lab chaos` and test/integration/chaos.test.ts both call this.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { LabNotRootError } from '../errors.js';
import { Lab } from '../lab.js';
import { LAB_NAME_RE } from '../paths.js';
import { sleep } from '../run.js';
import { copiesOf } from './copies.js';
import { ChaosLabUnsuitableError, ChaosOptionsError, ChaosSetupError } from './errors.js';
import { FaultInjector } from './inject.js';
import { check, settle, type Verdict } from './invariants.js';
import { runSchedule, type TaskResult } from './runner.js';
import { formatSchedule, planSchedule, taskName } from './schedule.js';
import { countFailures, failureLines, freezeLines, freezes, freezeStats, passed, summaryLine, type FreezeStat } from './summary.js';
import { resolveWorkload, readStdout, started, type ChaosJob, type JobPlan } from './workload.js';

export const ChaosOptions = z
  .object({
    seed: z.number().int().min(0).max(0xffffffff),
    rounds: z.number().int().min(1).max(10_000),
    concurrency: z.number().int().min(1).max(32),
    lazyFraction: z.number().min(0).max(1).default(0.4),
    /** Lab to build (and remove at the end), or to use with `attach`. */
    name: z.string().regex(LAB_NAME_RE, 'a lower-case letter, then up to 11 letters or digits (no "-")').default('chaos'),
    hosts: z.number().int().min(2).max(64).default(4),
    domains: z.number().int().min(1).max(16).default(2),
    /** Jobs to move around; default 3 × concurrency, so a round finds jobs the last one left alone. */
    jobs: z.number().int().min(1).max(200).optional(),
    wanRate: z.string().default('100mbit'),
    wanDelayMs: z.number().min(0).max(1000).default(20),
    /** Bound on the wait for everything to settle after the last round. */
    settleMs: z.number().int().min(1000).max(3_600_000).default(120_000),
    /** Use the running lab `name` (an operator's own) instead of building one; it is left up. */
    attach: z.boolean().default(false),
    /** Leave the built lab up at the end (to inspect it); remove it later with `zinc-lab down`. */
    keep: z.boolean().default(false),
    /** Write the result as JSON to this file (to pool the figures of several runs). */
    report: z.string().min(1).optional(),
    /** Copy the lab's logs to $TMPDIR/zinc-chaos-logs even when every check passed. */
    keepLogs: z.boolean().default(false),
    /** Schedule lines printed at the start (all of them are always derivable from the seed). */
    printSchedule: z.number().int().min(0).default(12),
  })
  .strict();
export type ChaosOptionsInput = z.input<typeof ChaosOptions>;

export interface ChaosIo {
  /** Result lines (the schedule's head, failures, freeze figures, the summary line). */
  out: (line: string) => void;
  /** Progress lines. */
  log: (line: string) => void;
  signal?: AbortSignal;
}

export interface ChaosResult {
  passed: boolean;
  /** Fewer rounds ran than asked (SIGINT/SIGTERM). */
  interrupted: boolean;
  summary: string;
  counts: ReturnType<typeof countFailures>;
  verdicts: Verdict[];
  tasks: TaskResult[];
  freeze: FreezeStat[];
  failures: string[];
  /** Where the lab's logs were copied when something failed. */
  keptLogs?: string;
}

const START_TIMEOUT_MS = 60_000;

export function parseChaosOptions(input: unknown): z.output<typeof ChaosOptions> {
  const r = ChaosOptions.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new ChaosOptionsError(`${i?.path.join('.') || 'options'}: ${i?.message ?? 'invalid'}`);
  }
  if (!r.data.attach && r.data.hosts < r.data.domains) throw new ChaosOptionsError(`--hosts ${r.data.hosts} is fewer than --domains ${r.data.domains}`);
  return r.data;
}

export async function runChaos(input: ChaosOptionsInput, io: ChaosIo): Promise<ChaosResult> {
  const o = parseChaosOptions(input);
  // Signalling the lab's daemons and reading its cgroups needs root, attached or not.
  if (process.getuid?.() !== 0) throw new LabNotRootError();
  const workload = resolveWorkload();
  const t0 = Date.now();
  const lab = o.attach
    ? Lab.open(o.name, { log: io.log })
    : await Lab.up({
        name: o.name,
        hosts: o.hosts,
        domains: o.domains,
        wanRate: o.wanRate,
        wanDelayMs: o.wanDelayMs,
        daemonArgs: ['--gossip-interval', '500ms'],
        readyTimeoutMs: 60_000,
        log: io.log,
        signal: io.signal,
      });
  let jobs: ChaosJob[] = [];
  try {
    const hosts = lab.hosts();
    if (hosts.length < 2) throw new ChaosLabUnsuitableError(o.name, `it has ${hosts.length} host(s)`);
    const down = hosts.filter((h) => h.daemonPid === null).map((h) => h.id);
    if (down.length) throw new ChaosLabUnsuitableError(o.name, `zincd is not running on ${down.join(', ')}`);

    const schedule = planSchedule({
      seed: o.seed,
      rounds: o.rounds,
      concurrency: o.concurrency,
      jobs: o.jobs ?? 3 * o.concurrency,
      lazyFraction: o.lazyFraction,
      hosts: hosts.map((h) => ({ id: h.id, domain: h.domain })),
    });
    const text = formatSchedule(schedule);
    io.out(`chaos: seed ${o.seed}, ${o.rounds} rounds, concurrency ${o.concurrency}, ${schedule.jobs.length} jobs, post-copy fraction ${o.lazyFraction}, lab ${lab.name} (${hosts.length} hosts in ${lab.domains().length} domains)`);
    io.out(`replay: zinc-lab chaos --seed ${o.seed} --rounds ${o.rounds} --concurrency ${o.concurrency} --lazy-fraction ${o.lazyFraction} --jobs ${schedule.jobs.length}${o.attach ? ` --attach --name ${o.name}` : ` --hosts ${o.hosts} --domains ${o.domains} --wan-rate ${o.wanRate} --wan-delay ${o.wanDelayMs}`}`);
    for (const l of text.slice(0, o.printSchedule)) io.out(`schedule: ${l}`);
    if (text.length > o.printSchedule) io.out(`schedule: … ${text.length - o.printSchedule} more lines`);

    jobs = await startJobs(lab, schedule.jobs, workload.argv, io);
    await waitGossip(lab);

    const injector = new FaultInjector(lab, io.log);
    const { tasks, rounds } = await runSchedule({ lab, schedule, jobs, concurrency: o.concurrency, injector, log: io.log, signal: io.signal });
    // Interrupted: what ran is still settled and checked, and the summary says how many rounds.
    if (rounds < o.rounds) io.out(`interrupted after ${rounds} of ${o.rounds} rounds; checking what ran`);
    io.log(`rounds done after ${Math.round((Date.now() - t0) / 1000)}s; settling (at most ${o.settleMs / 1000}s)`);
    const settleMs = await settle(lab, injector, jobs, o.settleMs, io.log);
    const verdicts = await check(lab, jobs);

    const failures = failureLines(lab, verdicts, tasks, injector.incidents);
    const freeze = freezeStats(verdicts, tasks);
    const counts = countFailures(verdicts);
    const ok = passed(counts);
    let keptLogs: string | undefined;
    if (!ok || o.keepLogs) keptLogs = keepLogs(lab, o.seed);
    for (const l of failures) io.out(l);
    if (keptLogs) io.out(`lab logs kept in ${keptLogs}`);
    for (const l of freezeLines(freeze)) io.out(l);
    const summary = summaryLine(
      { seed: o.seed, rounds, concurrency: o.concurrency, lazyFraction: o.lazyFraction, hosts: hosts.length, domains: lab.domains().length, durationMs: Date.now() - t0, settleMs },
      verdicts,
      tasks,
    );
    io.out(summary);
    if (o.report) {
      writeFileSync(
        o.report,
        JSON.stringify(
          {
            options: { ...o, report: undefined },
            summary,
            counts,
            passed: ok,
            rounds,
            freezes: freezes(verdicts, tasks),
            tasks: tasks.map((t) => ({
              task: taskName(t.plan),
              job: t.job.label,
              gpid: t.job.gpid,
              kind: t.job.kind,
              source: t.source,
              dest: t.dest,
              lazy: t.plan.lazy,
              fault: t.plan.fault,
              target: t.fault?.target,
              injectedAt: t.fault?.injectedAt,
              startedAt: t.startedAt,
              cliEndedAt: t.cliEndedAt,
              endedAt: t.endedAt,
              outcome: t.outcome,
              endedOn: t.endedOn,
              skipped: t.skipped,
            })),
            failures,
            incidents: injector.incidents,
            keptLogs,
          },
          null,
          2,
        ),
      );
    }
    return { passed: ok, interrupted: rounds < o.rounds, summary, counts, verdicts, tasks, freeze, failures, keptLogs };
  } finally {
    if (o.attach) await stopJobs(lab, jobs);
    else if (o.keep) io.log(`lab ${lab.name} left up; remove it with: zinc-lab down --name ${lab.name}`);
    else await lab.down();
  }
}

async function startJobs(lab: Lab, plans: readonly JobPlan[], argv: (p: JobPlan) => string[], io: ChaosIo): Promise<ChaosJob[]> {
  const jobs: ChaosJob[] = [];
  for (const p of plans) {
    const r = await lab.zinc(p.home, ['submit', '--host', p.home, '--name', `chaos-${p.label}`, '--', ...argv(p)], { timeoutMs: 60_000 });
    if (r.code !== 0) throw new ChaosSetupError(`zinc submit of ${p.label} on ${p.home} failed: ${r.stderr.trim()}`, lab.labDir);
    jobs.push({ ...p, gpid: r.stdout.trim() });
  }
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (const j of jobs) {
    while (!started(j.kind, readStdout(lab, j.home, j.gpid))) {
      if (Date.now() > deadline) throw new ChaosSetupError(`${j.label} (${j.gpid}) did not start printing on ${j.home}`, lab.labDir);
      await sleep(200);
    }
  }
  io.log(`jobs: ${jobs.map((j) => `${j.label}=${j.gpid}`).join(' ')}`);
  return jobs;
}

/** Migrations need the destination known to the source: wait until every host knows every other. */
async function waitGossip(lab: Lab): Promise<void> {
  const n = lab.hosts().length;
  const deadline = Date.now() + 30_000;
  for (const h of lab.hosts()) {
    for (;;) {
      const r = await lab.zinc(h.id, ['hosts', '--json'], { timeoutMs: 30_000 });
      let known = 0;
      try {
        known = z.array(z.unknown()).parse(JSON.parse(r.stdout)).length;
      } catch {
        // not ready yet
      }
      if (known >= n) break;
      if (Date.now() > deadline) throw new ChaosSetupError(`${h.id} knows ${known} of ${n} hosts after 30s of gossip`, lab.labDir);
      await sleep(500);
    }
  }
}

/** In someone else's lab, end the jobs this run started: through zinc, then by their cgroups. */
async function stopJobs(lab: Lab, jobs: readonly ChaosJob[]): Promise<void> {
  for (const j of jobs) {
    for (const c of copiesOf(lab, j.gpid)) await lab.zinc(c.host, ['kill', j.gpid], { timeoutMs: 30_000 });
  }
  await sleep(1000);
  for (const j of jobs) {
    for (const c of copiesOf(lab, j.gpid)) {
      for (const pid of c.pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }
}

/** `down` removes the lab's logs; a failed run keeps a copy for the report. */
function keepLogs(lab: Lab, seed: number): string | undefined {
  const dest = join(tmpdir(), 'zinc-chaos-logs', `${lab.name}-seed${seed}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  try {
    mkdirSync(dest, { recursive: true });
    cpSync(join(lab.labDir, 'logs'), dest, { recursive: true });
    return dest;
  } catch {
    return undefined;
  }
}
