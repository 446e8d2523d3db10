/**
 * Releasing a job that a CRIU process still holds under ptrace. A SIGCONT or a cgroup thaw does
 * not end a ptrace stop: a dump left behind by a dead zincd (issue 11) keeps the job stopped
 * until that tracer exits. Only tracers proven to be a CRIU dump of the given images are killed
 * (exe is this host's CRIU, command line names those images, and it traces the job's pids now);
 * anything else tracing the job (an operator's strace or gdb) is left alone and reported.
 */
import { readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRunningProcess, isSameProcess, processStartTime } from '../host/proc.js';
import type { Logger } from '../log.js';
import type { Criu } from '../checkpoint/criu-binary.js';
import { CriuHelperStuckError } from './errors.js';

/** The pid tracing `pid`: 0 when none, undefined when `pid` is gone. */
export function tracerOf(pid: number): number | undefined {
  try {
    return parseTracerPid(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** TracerPid from the text of /proc/<pid>/status. */
export function parseTracerPid(status: string): number | undefined {
  const m = /^TracerPid:\s*(\d+)\s*$/m.exec(status);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

export interface ProcessIdentity {
  exe: string;
  argv: string[];
}

/** What zinc knows about its own CRIU dumps of one job. */
export interface OwnDump {
  /** Real paths of the executables that run this host's CRIU (the binary, or its loader). */
  exes: readonly string[];
  /** The images directories zinc's dumps of this job write (`-D DIR`). */
  imagesDirs: readonly string[];
}

/** Why `p` is not one of zinc's CRIU dumps described by `own`, or undefined if it is. */
export function notOwnDump(p: ProcessIdentity, own: OwnDump): string | undefined {
  if (!own.exes.includes(p.exe)) return `its executable ${p.exe} is not this host's CRIU`;
  if (!p.argv.includes('dump')) return 'it is not a criu dump';
  const d = p.argv.indexOf('-D');
  const dir = d >= 0 ? p.argv[d + 1] : undefined;
  if (dir === undefined || !own.imagesDirs.includes(dir)) return `it dumps to ${dir ?? '(no -D)'}, not to this job's images`;
  return undefined;
}

function identityOf(pid: number): ProcessIdentity | undefined {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (argv.at(-1) === '') argv.pop();
    return { exe: readlinkSync(`/proc/${pid}/exe`), argv };
  } catch {
    return undefined;
  }
}

/** The real paths that can be /proc/<pid>/exe of a CRIU run through `criu` (see criuArgv). */
export function criuExecutables(criu: Criu): string[] {
  const out = new Set<string>();
  for (const p of [criu.command, criu.path, ...criu.prefix]) {
    if (!p.startsWith('/')) continue;
    try {
      if (statSync(p).isFile()) out.add(realpathSync(p));
    } catch {
      // not a file here
    }
  }
  return [...out];
}

/**
 * Make sure no CRIU dump of this job still traces `pids()`: SIGKILL each verified tracer (by pid
 * and start time), then wait until it has exited and no longer traces the job. Returns the pids
 * killed. Throws CriuHelperStuckError if one of them still holds the job after `timeoutMs`.
 */
export async function releaseSeizedJob(o: {
  gpid: string;
  pids: () => number[];
  own: OwnDump;
  log: Logger;
  timeoutMs?: number;
}): Promise<number[]> {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const tracers = new Map<number, number[]>();
  for (const pid of o.pids()) {
    const t = tracerOf(pid);
    if (t) tracers.set(t, [...(tracers.get(t) ?? []), pid]);
  }
  if (tracers.size === 0) {
    o.log.debug({ gpid: o.gpid }, 'no process traces the job');
    return [];
  }
  const killed: Array<{ pid: number; start: number | undefined }> = [];
  for (const [tracer, traced] of tracers) {
    const start = processStartTime(tracer);
    const id = identityOf(tracer);
    const why = id ? notOwnDump(id, o.own) : 'it is gone';
    if (why) {
      o.log.warn({ gpid: o.gpid, tracer, traced, exe: id?.exe, why }, 'a process that is not our CRIU traces the job; leaving it alone');
      continue;
    }
    // Still the same process that we just identified, and still tracing the job.
    if (!isSameProcess(tracer, start) || !traced.some((p) => tracerOf(p) === tracer)) continue;
    o.log.warn({ gpid: o.gpid, tracer, traced, exe: id?.exe, argv: id?.argv.slice(-12).join(' ') }, 'a CRIU dump left by the previous zincd still seizes the job; killing it');
    try {
      process.kill(tracer, 'SIGKILL');
      killed.push({ pid: tracer, start });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
  const deadline = Date.now() + timeoutMs;
  const holding = () => killed.filter((k) => isRunningProcess(k.pid, k.start) || o.pids().some((p) => tracerOf(p) === k.pid)).map((k) => k.pid);
  for (let left = holding(); left.length; left = holding()) {
    if (Date.now() > deadline) throw new CriuHelperStuckError(o.gpid, left, timeoutMs);
    await sleep(20);
  }
  if (killed.length) o.log.info({ gpid: o.gpid, killed: killed.map((k) => k.pid) }, 'CRIU released the job: its tracers are gone');
  return killed.map((k) => k.pid);
}
