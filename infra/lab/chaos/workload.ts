/**
 * The jobs a chaos run moves around, chosen so that their state can be checked from outside:
 * - a counter (bash) prints "N <CLOCK_REALTIME seconds>" every 50 ms. Its N must run 1, 2, 3, …
 *   with no gap (state lost) and no repeat (two copies, or a restore from older state), and its
 *   timestamps show how long it was frozen;
 * - a memory holder (zinc-testjob mem) fills memory with pseudo-random bytes, prints "ready SUM"
 *   and "beat N" every 100 ms, and on SIGUSR1 re-checksums its memory ("verified" or "MISMATCH").
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../lab.js';
import { installRoot } from '../paths.js';
import { which } from '../run.js';
import { ChaosToolMissingError } from './errors.js';

export type JobKind = 'counter' | 'mem';

/** A job as planned from the seed; the GPID is known once it is submitted. */
export interface JobPlan {
  index: number;
  label: string;
  kind: JobKind;
  /** Memory held by a `mem` job, in bytes (0 for counters). */
  bytes: number;
  /** The host it is submitted to, which is also its home. */
  home: string;
}

export interface ChaosJob extends JobPlan {
  gpid: string;
}

/** The counter's period; a frozen job shows a gap longer than this between two lines. */
export const COUNTER_PERIOD_MS = 50;

export interface Workload {
  argv(plan: JobPlan): string[];
}

/** Resolves the programs the jobs run, once, so that a missing one fails before the lab is used. */
export function resolveWorkload(): Workload {
  const bash = which('bash');
  const sleep = which('sleep');
  if (!bash || !sleep) throw new ChaosToolMissingError(!bash ? 'bash' : 'sleep', 'Install bash and coreutils');
  const testjob = join(installRoot(), 'build', 'zinc-testjob');
  if (!existsSync(testjob)) throw new ChaosToolMissingError(testjob, 'Build zinc with `npm run build` (it compiles test/fixtures/zinc-testjob.c)');
  // EPOCHREALTIME is bash's own clock read (no fork), so the timestamp is taken when the line is
  // printed; the sleep's fork only widens the period, not the measurement.
  const counter = `i=0; while :; do i=$((i+1)); echo "$i $EPOCHREALTIME"; ${sleep} ${COUNTER_PERIOD_MS / 1000}; done`;
  return {
    argv: (p) => (p.kind === 'counter' ? [bash, '-c', counter] : [testjob, 'mem', String(p.bytes)]),
  };
}

export function stdoutPath(lab: Lab, host: string, gpid: string): string {
  return join(lab.host(host).stateDir, 'jobs', gpid, 'files', 'stdout');
}

export function readStdout(lab: Lab, host: string, gpid: string): string {
  try {
    return readFileSync(stdoutPath(lab, host, gpid), 'utf8');
  } catch {
    return '';
  }
}

/** Complete lines only: the last one may be half written. */
function lines(text: string): string[] {
  const all = text.split('\n');
  all.pop();
  return all;
}

export interface Tick {
  n: number;
  /** Milliseconds since the epoch; NaN for a memory holder's beats, which carry no time. */
  atMs: number;
}

/** The sequence a job printed: counter lines, or a memory holder's beats. */
export function ticks(kind: JobKind, text: string): Tick[] {
  const out: Tick[] = [];
  for (const l of lines(text)) {
    if (kind === 'counter') {
      const m = /^(\d+) (\d+)[.,](\d+)$/.exec(l);
      if (m) out.push({ n: Number(m[1]), atMs: Number(m[2]) * 1000 + Number(`0.${m[3] ?? '0'}`) * 1000 });
    } else {
      const m = /^beat (\d+)$/.exec(l);
      if (m) out.push({ n: Number(m[1]), atMs: NaN });
    }
  }
  return out;
}

/** The first place where N does not follow 1, 2, 3, …; undefined if the sequence is continuous. */
export function discontinuity(xs: readonly Tick[]): string | undefined {
  if (xs.length === 0) return 'no output at all';
  for (let i = 0; i < xs.length; i++) {
    const want = i + 1;
    const got = xs[i]?.n;
    if (got !== want) {
      const what = got !== undefined && got < want ? 'repeat (a second copy, or state from before)' : 'gap (lost state)';
      return `line ${i + 1}: expected ${want}, found ${got ?? 'nothing'}: ${what}`;
    }
  }
  return undefined;
}

/** The memory holder's own verdict after SIGUSR1, if it has printed one. */
export function memVerdict(text: string): { ok: boolean; line: string } | undefined {
  for (const l of lines(text)) {
    if (/^verified [0-9a-f]+$/.test(l)) return { ok: true, line: l };
    if (/^MISMATCH [0-9a-f]+$/.test(l)) return { ok: false, line: l };
  }
  return undefined;
}

/** Whether a job has started printing (so its first migration moves a running job). */
export function started(kind: JobKind, text: string): boolean {
  return kind === 'counter' ? ticks(kind, text).length >= 3 : /^ready [0-9a-f]+\n/.test(text);
}

/**
 * The longest time the job printed nothing, among the lines around [fromMs, toMs]: the freeze a
 * fault in that window caused (counters only; one period is the job's own sleep).
 */
export function longestGapMs(xs: readonly Tick[], fromMs: number, toMs: number): number | undefined {
  let best: number | undefined;
  for (let i = 1; i < xs.length; i++) {
    const a = xs[i - 1]?.atMs ?? NaN;
    const b = xs[i]?.atMs ?? NaN;
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    if (b < fromMs || a > toMs) continue;
    best = Math.max(best ?? 0, b - a);
  }
  return best;
}
