/**
 * Live copies of a job, counted from the kernel, not from zinc's records: the processes in the
 * job's cgroup on every host of the lab (`zinc-lab/<lab>/<host>/jobs/<gpid>` in every hierarchy).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { detectCgroups, type CgroupLayout } from '../../../daemon/cgroups/detect.js';
import type { Lab } from '../lab.js';
import { cgroupHostRel } from '../paths.js';

export interface Copy {
  host: string;
  pids: number[];
  /** The job's cgroup is frozen (a migration's source keeps its original so until it is safe). */
  frozen: boolean;
  /** Processes stopped or held under ptrace (/proc state T or t): they run nothing either. */
  stoppedPids: number[];
}

let layout: CgroupLayout | undefined;
function cgroups(): CgroupLayout {
  layout ??= detectCgroups();
  return layout;
}

function roots(): string[] {
  const l = cgroups();
  return [...new Set([...(l.v2Root ? [l.v2Root] : []), ...Object.values(l.v1)])];
}

function subtree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out = [dir];
  try {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      try {
        if (statSync(p).isDirectory()) out.push(...subtree(p));
      } catch {
        // removed while we looked
      }
    }
  } catch {
    // removed while we looked
  }
  return out;
}

function procsUnder(rel: string): number[] {
  const pids = new Set<number>();
  for (const root of roots()) {
    for (const d of subtree(join(root, rel))) {
      try {
        for (const l of readFileSync(join(d, 'cgroup.procs'), 'utf8').split('\n')) if (l) pids.add(Number(l));
      } catch {
        // gone
      }
    }
  }
  return [...pids].filter((p) => Number.isInteger(p) && p > 0);
}

function isFrozen(rel: string): boolean {
  const l = cgroups();
  const events = l.v2Root ? join(l.v2Root, rel, 'cgroup.events') : '';
  if (events && existsSync(events)) {
    try {
      if (/^frozen 1$/m.test(readFileSync(events, 'utf8'))) return true;
    } catch {
      // gone
    }
  }
  const state = l.v1.freezer ? join(l.v1.freezer, rel, 'freezer.state') : '';
  try {
    return state !== '' && existsSync(state) && readFileSync(state, 'utf8').trim() !== 'THAWED';
  } catch {
    return false;
  }
}

function procField(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** zinc-shim names a restore supervisor's child that waits for the commit "zinc-restore": it is in
 * the job's cgroup early, but it is not a copy of the job until it restores. */
function isWaitingRestore(pid: number): boolean {
  return procField(pid, 'comm')?.trim() === 'zinc-restore';
}

function isStopped(pid: number): boolean {
  const stat = procField(pid, 'stat');
  if (!stat) return false;
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'T' || state === 't';
}

export function jobCgroupRel(lab: Lab, host: string, gpid: string): string {
  return `${cgroupHostRel(lab.name, host)}/jobs/${gpid}`;
}

/** Every host holding processes of the job, with whether they can run. */
export function copiesOf(lab: Lab, gpid: string): Copy[] {
  const out: Copy[] = [];
  for (const h of lab.hosts()) {
    const rel = jobCgroupRel(lab, h.id, gpid);
    const pids = procsUnder(rel).filter((p) => !isWaitingRestore(p));
    if (pids.length) out.push({ host: h.id, pids, frozen: isFrozen(rel), stoppedPids: pids.filter(isStopped) });
  }
  return out;
}

/** A copy that can run: not frozen, and not every process of it stopped or traced. */
export function isRunnable(c: Copy): boolean {
  return !c.frozen && c.stoppedPids.length < c.pids.length;
}

export function describeCopies(cs: readonly Copy[]): string {
  if (cs.length === 0) return 'no process of it on any host';
  return cs
    .map((c) => `${c.host}: pids ${c.pids.join(',')}${c.frozen ? ' (cgroup FROZEN)' : ''}${c.stoppedPids.length ? ` (stopped/traced: ${c.stoppedPids.join(',')})` : ''}`)
    .join('; ');
}
