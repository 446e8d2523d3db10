/**
 * The end of a chaos run: let everything settle (links healed, daemons up, hosts undrained, a
 * bounded wait), then check each job against the promise that a migration never loses a job and
 * never runs it twice:
 * - exactly one live copy, counted from the processes in every host's cgroups, and it makes
 *   progress (a copy held stopped under ptrace is not live);
 * - its home and the host it runs on both say where it is, and it is not `migrating` any more;
 * - its output is continuous; a memory holder's checksum holds.
 */
import { z } from 'zod';
import type { Lab } from '../lab.js';
import { sleep } from '../run.js';
import { copiesOf, describeCopies, isRunnable, type Copy } from './copies.js';
import type { FaultInjector } from './inject.js';
import { discontinuity, memVerdict, readStdout, ticks, type ChaosJob } from './workload.js';

export const INVARIANTS = ['lost', 'duplicated', 'stuck', 'gaps', 'misplaced', 'checksum'] as const;
export type Invariant = (typeof INVARIANTS)[number];

export interface Verdict {
  job: ChaosJob;
  /** Hosts of the job's live copies at the check. */
  live: string[];
  failed: Set<Invariant>;
  /** One line per failed invariant, saying what was seen. */
  details: string[];
  /** The surviving copy's output, for the freeze measurement. */
  stdout: string;
}

const JobRow = z.object({ gpid: z.string(), state: z.string(), host: z.string() }).passthrough();
const JobRows = z.array(JobRow);
type JobRow = z.infer<typeof JobRow>;

/** Each host's records, as its zincd lists them (`zinc ps -a`); undefined if it did not answer. */
type Records = Map<string, Map<string, JobRow> | undefined>;

async function records(lab: Lab): Promise<Records> {
  const out: Records = new Map();
  await Promise.all(
    lab.hosts().map(async (h) => {
      const r = await lab.zinc(h.id, ['ps', '-a', '--json'], { timeoutMs: 30_000 });
      if (r.code !== 0) return out.set(h.id, undefined);
      try {
        out.set(h.id, new Map(JobRows.parse(JSON.parse(r.stdout)).map((j) => [j.gpid, j])));
      } catch {
        out.set(h.id, undefined);
      }
    }),
  );
  return out;
}

export function homeOf(gpid: string): string {
  return gpid.slice(0, gpid.lastIndexOf('.'));
}

/**
 * Hosts whose record of the job says `migrating`: its home (which must converge to the truth) and
 * any host that holds the job itself. A forwarding record on a host the job merely passed through
 * keeps the state it last knew, by design; it is not counted.
 */
function migratingOn(gpid: string, recs: Records): string[] {
  const home = homeOf(gpid);
  return [...recs.entries()]
    .filter(([h, m]) => {
      const row = m?.get(gpid);
      return row?.state === 'JOB_STATE_MIGRATING' && (h === home || row.host === h);
    })
    .map(([h]) => h);
}

function settled(job: ChaosJob, cs: readonly Copy[], recs: Records): boolean {
  const only = cs.length === 1 ? cs[0] : undefined;
  if (!only || !isRunnable(only)) return false;
  if ([...recs.values()].some((m) => m === undefined) || migratingOn(job.gpid, recs).length > 0) return false;
  return recs.get(homeOf(job.gpid))?.get(job.gpid)?.host === only.host;
}

/** Heals, restarts, undrains, then waits until every job looks settled or `settleMs` passes. */
export async function settle(lab: Lab, injector: FaultInjector, jobs: readonly ChaosJob[], settleMs: number, log: (l: string) => void): Promise<number> {
  await injector.healAll();
  await injector.startAll();
  for (const h of lab.hosts()) await injector.drainCall(h.id, 'undrain');
  const t0 = Date.now();
  for (;;) {
    const recs = await records(lab);
    const pending = jobs.filter((j) => !settled(j, copiesOf(lab, j.gpid), recs));
    if (pending.length === 0) return Date.now() - t0;
    if (Date.now() - t0 > settleMs) {
      log(`not settled after ${settleMs / 1000}s: ${pending.map((j) => j.label).join(' ')}`);
      return Date.now() - t0;
    }
    await sleep(2000);
  }
}

const PROGRESS_WINDOW_MS = 2500;
const VERDICT_TIMEOUT_MS = 20_000;

/** Checks every invariant for every job. Leaves the memory holders ended (their self-check). */
export async function check(lab: Lab, jobs: readonly ChaosJob[]): Promise<Verdict[]> {
  const recs = await records(lab);
  const lengths = new Map<string, number>();
  for (const j of jobs) {
    const cs = copiesOf(lab, j.gpid);
    for (const c of cs) lengths.set(`${j.gpid}@${c.host}`, ticks(j.kind, readStdout(lab, c.host, j.gpid)).length);
  }
  // One window for all jobs: a live copy prints at least every 100 ms.
  await sleep(PROGRESS_WINDOW_MS);

  const verdicts: Verdict[] = [];
  for (const j of jobs) {
    const failed = new Set<Invariant>();
    const details: string[] = [];
    const fail = (inv: Invariant, what: string): void => {
      failed.add(inv);
      details.push(`${inv}: ${what}`);
    };
    const cs = copiesOf(lab, j.gpid);
    const progressing = (c: Copy): boolean => ticks(j.kind, readStdout(lab, c.host, j.gpid)).length > (lengths.get(`${j.gpid}@${c.host}`) ?? Infinity);
    const live = cs.filter((c) => isRunnable(c) && progressing(c));
    const stalled = cs.filter((c) => !live.includes(c));
    const states = [...recs.entries()].map(([h, m]) => `${h}=${m === undefined ? 'no answer' : (m.get(j.gpid)?.state.replace('JOB_STATE_', '').toLowerCase() ?? '-')}${m?.get(j.gpid) && m.get(j.gpid)?.host !== h ? `(at ${m.get(j.gpid)?.host})` : ''}`);

    if (live.length === 0) fail('lost', `no copy runs: ${describeCopies(cs)}; records: ${states.join(' ')}`);
    if (live.length > 1) fail('duplicated', `${live.length} copies run: ${describeCopies(live)}`);
    for (const c of stalled) {
      if (c.frozen || !isRunnable(c)) fail('stuck', `a copy is held ${c.frozen ? 'frozen' : 'stopped'} on ${c.host} (${describeCopies([c])})`);
      else fail('stuck', `a copy on ${c.host} is in its cgroup but printed nothing for ${PROGRESS_WINDOW_MS / 1000}s (${describeCopies([c])})`);
    }
    const migrating = migratingOn(j.gpid, recs);
    if (migrating.length) fail('stuck', `still "migrating" after the settle on ${migrating.join(', ')}; records: ${states.join(' ')}`);

    const at = live.length === 1 ? live[0]?.host : undefined;
    if (at) {
      const home = homeOf(j.gpid);
      const homeRec = recs.get(home)?.get(j.gpid);
      const hereRec = recs.get(at)?.get(j.gpid);
      if (homeRec?.host !== at) fail('misplaced', `runs on ${at} but its home ${home} says ${homeRec ? `${homeRec.host} (${homeRec.state})` : 'nothing'}`);
      if (hereRec?.host !== at || hereRec.state !== 'JOB_STATE_RUNNING') {
        fail('misplaced', `runs on ${at} but ${at}'s own record says ${hereRec ? `${hereRec.state} at ${hereRec.host}` : 'nothing'}`);
      }
      // What a user would do next: read its output through its home (a wrong location shows
      // here as a routing loop or an unreachable host).
      const logs = await lab.zinc(home, ['logs', j.gpid], { timeoutMs: 30_000 });
      if (logs.code !== 0) fail('misplaced', `zinc logs ${j.gpid} on its home ${home} failed (${logs.code}): ${logs.stderr.trim().split('\n')[0] ?? ''}`);
    }

    // Continuity of every copy that printed (a second copy shows as a repeat, or its own gap).
    let stdout = '';
    for (const c of live.length ? live : cs) {
      const text = readStdout(lab, c.host, j.gpid);
      if (!stdout) stdout = text;
      const d = discontinuity(ticks(j.kind, text));
      if (d) fail('gaps', `output on ${c.host}: ${d}`);
    }

    if (j.kind === 'mem' && at) {
      const v = await verifyMemory(lab, j, at, live[0]?.pids ?? [], details);
      if (!v) fail('checksum', `no verdict ${VERDICT_TIMEOUT_MS / 1000}s after SIGUSR1`);
      else if (!v.ok) fail('checksum', `${v.line} (ready line: ${/^ready .*$/m.exec(readStdout(lab, at, j.gpid))?.[0] ?? 'none'})`);
      stdout = readStdout(lab, at, j.gpid);
    }
    verdicts.push({ job: j, live: live.map((c) => c.host), failed, details, stdout });
  }
  return verdicts;
}

/**
 * Asks a memory holder to checksum its memory (SIGUSR1) and waits for its verdict. Through zinc
 * first; if zinc cannot deliver it (that is `misplaced`'s business, already counted), to the
 * copy's only process directly, so that the memory itself is still checked.
 */
async function verifyMemory(lab: Lab, j: ChaosJob, at: string, pids: readonly number[], notes: string[]): Promise<{ ok: boolean; line: string } | undefined> {
  const r = await lab.zinc(at, ['kill', '--signal', 'USR1', j.gpid], { timeoutMs: 30_000 });
  if (r.code !== 0) {
    const why = r.stderr.trim().split('\n')[0] ?? `exit ${r.code}`;
    const pid = pids.length === 1 ? pids[0] : undefined;
    if (pid === undefined) {
      notes.push(`note: zinc kill --signal USR1 failed (${why}) and the copy has ${pids.length} processes; not signalled`);
      return undefined;
    }
    notes.push(`note: zinc kill --signal USR1 failed (${why}); signalled pid ${pid} directly`);
    try {
      process.kill(pid, 'SIGUSR1');
    } catch {
      return undefined;
    }
  }
  const deadline = Date.now() + VERDICT_TIMEOUT_MS;
  let v = memVerdict(readStdout(lab, at, j.gpid));
  while (!v && Date.now() < deadline) {
    await sleep(200);
    v = memVerdict(readStdout(lab, at, j.gpid));
  }
  return v;
}
