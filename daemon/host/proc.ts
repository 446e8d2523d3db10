/** Small readers for /proc, used to recognise processes zinc started (pid + start time). */
import { readFileSync } from 'node:fs';

/** Start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat), or undefined. */
export function processStartTime(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = Number(rest[19]);
  return Number.isFinite(start) ? start : undefined;
}

/** True if `pid` is alive and is the same process that had `startTime`. */
export function isSameProcess(pid: number, startTime: number | undefined): boolean {
  if (!pid || startTime === undefined) return false;
  return processStartTime(pid) === startTime;
}

/** Process state letter (R, S, D, T, Z…) or undefined if gone. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/**
 * True while the process of (pid, startTime) has not exited. A zombie has exited: it runs no code
 * and writes nothing, but it keeps its pid and start time until its parent reaps it (seconds, when
 * that parent is an init that polls).
 */
export function isRunningProcess(pid: number, startTime: number | undefined): boolean {
  if (!isSameProcess(pid, startTime)) return false;
  const state = processState(pid);
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** Waits until the process of (pid, startTime) has exited (gone or a zombie); false on timeout. */
export async function waitExited(pid: number, startTime: number | undefined, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isRunningProcess(pid, startTime)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/** The pid of `pid` inside its own (innermost) PID namespace, from NSpid in /proc/<pid>/status. */
export function innermostPid(pid: number): number | undefined {
  try {
    const m = /^NSpid:\s*(.+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    const last = m?.[1]?.trim().split(/\s+/).at(-1);
    return last === undefined ? undefined : Number(last);
  } catch {
    return undefined;
  }
}

/**
 * Of `pids`, those that are stopped by a signal (state T: SIGSTOP, SIGTSTP…, not ptrace's t), as
 * pids inside their PID namespace, which is what a restore gives back.
 */
export function stoppedInNamespace(pids: readonly number[]): number[] {
  const out: number[] = [];
  for (const pid of pids) {
    if (processState(pid) !== 'T') continue;
    const inner = innermostPid(pid);
    if (inner !== undefined) out.push(inner);
  }
  return out;
}

export function rssBytes(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
