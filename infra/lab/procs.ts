/**
 * Processes the lab started, identified by pid *and* start time (field 22 of /proc/<pid>/stat), so a
 * pid reused by an unrelated process after a crash is never signalled.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { sleep } from './run.js';

export interface ProcRef {
  pid: number;
  /** Start time in clock ticks since boot, from /proc/<pid>/stat. */
  startTime: number;
}

interface ProcStat {
  state: string;
  startTime: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // comm (field 2) may contain spaces and parentheses: split after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = rest[0];
  const start = Number(rest[19]);
  if (state === undefined || !Number.isFinite(start)) return undefined;
  return { state, startTime: start };
}

/** The ref of a live process, e.g. right after spawning it. */
export function procRef(pid: number): ProcRef | undefined {
  const s = readStat(pid);
  return s ? { pid, startTime: s.startTime } : undefined;
}

/** True if the very process of `ref` still exists and is not a zombie. */
export function isAlive(ref: ProcRef): boolean {
  const s = readStat(ref.pid);
  return s !== undefined && s.startTime === ref.startTime && s.state !== 'Z' && s.state !== 'X';
}

/** Sends `signal` to the process of `ref` if it is still that process. Returns whether it did. */
export function signalRef(ref: ProcRef, signal: NodeJS.Signals | number): boolean {
  if (!isAlive(ref)) return false;
  try {
    process.kill(ref.pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Waits until the process of `ref` is gone (or a zombie); false on timeout. */
export async function waitGone(ref: ProcRef, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(ref)) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

/**
 * Waits until the process of `ref` has been reaped: no /proc entry for it any more (a zombie still
 * has one, and its pid cannot be reused yet). False on timeout.
 */
export async function waitReaped(ref: ProcRef, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (readStat(ref.pid)?.startTime === ref.startTime) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function terminate(ref: ProcRef, graceMs: number): Promise<void> {
  if (!signalRef(ref, 'SIGTERM')) return;
  if (await waitGone(ref, graceMs)) return;
  signalRef(ref, 'SIGKILL');
  await waitGone(ref, 5_000);
}

/** Identity of a namespace: the (device, inode) of its nsfs file. */
export function nsKey(path: string): string | undefined {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Every process whose network or mount namespace is one of `keys` (as given by nsKey). This is how
 * leftovers of a SIGKILLed `up` are found even when the state file never recorded them: whatever
 * runs inside a lab namespace belongs to the lab.
 */
export function processesInNamespaces(keys: ReadonlySet<string>): number[] {
  if (keys.size === 0) return [];
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    for (const kind of ['net', 'mnt']) {
      const key = nsKey(`/proc/${pid}/ns/${kind}`);
      if (key !== undefined && keys.has(key)) {
        found.push(pid);
        break;
      }
    }
  }
  return found;
}
