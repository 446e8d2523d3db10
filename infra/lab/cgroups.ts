/**
 * The lab's own cgroups: `zinc-lab/<lab>` in every hierarchy. The lab creates the pieces it needs
 * (the CPU quota of slow hosts' jobs, a place for its relays) and, on teardown, kills everything
 * in the subtree and removes it in every hierarchy, whoever created the directories (zincd creates
 * `<host>/daemon`, `<host>/shims` and `<host>/jobs/<gpid>` under the same parent).
 *
 * The layout is detected, not assumed: pure v2, pure v1, or hybrid (v1 controllers plus a v2 tree
 * without controllers, as on the project's machines).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMounts } from './mounts.js';
import { CGROUP_TOP } from './paths.js';
import { sleep } from './run.js';

export interface Hierarchy {
  mountPoint: string;
  version: 1 | 2;
  /** v1: the controllers bound to it (e.g. ["cpu"], or ["name=systemd"]); v2: cgroup.controllers. */
  controllers: string[];
}

/** Every mounted cgroup hierarchy, once each (a hierarchy mounted twice is listed once). */
export function hierarchies(): Hierarchy[] {
  const seen = new Set<string>();
  const out: Hierarchy[] = [];
  for (const m of readMounts()) {
    if (m.fsType !== 'cgroup' && m.fsType !== 'cgroup2') continue;
    // Only mounts of a hierarchy's root: a bind of a sub-cgroup would give relative paths.
    if (m.root !== '/' || seen.has(m.device)) continue;
    seen.add(m.device);
    if (m.fsType === 'cgroup2') {
      out.push({ mountPoint: m.mountPoint, version: 2, controllers: readWords(join(m.mountPoint, 'cgroup.controllers')) });
    } else {
      const controllers = m.superOptions.filter((o) => !['rw', 'ro', 'relatime', 'noexec', 'nosuid', 'nodev'].includes(o) && !o.startsWith('release_agent') && o !== 'clone_children' && o !== 'xattr');
      out.push({ mountPoint: m.mountPoint, version: 1, controllers });
    }
  }
  return out;
}

function readWords(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
}

export type CpuLimitMode = 'v1' | 'v2' | 'none';

export interface CpuLimitTarget {
  mode: CpuLimitMode;
  hierarchy: Hierarchy | undefined;
}

/** Where a CPU quota goes: v1's cpu controller if it owns cpu, else v2's cpu.max, else nowhere. */
export function cpuLimitTarget(hs: Hierarchy[] = hierarchies()): CpuLimitTarget {
  const v1 = hs.find((h) => h.version === 1 && h.controllers.includes('cpu'));
  if (v1) return { mode: 'v1', hierarchy: v1 };
  const v2 = hs.find((h) => h.version === 2 && h.controllers.includes('cpu'));
  if (v2) return { mode: 'v2', hierarchy: v2 };
  return { mode: 'none', hierarchy: undefined };
}

/**
 * The hierarchy used to hold (and later kill) the lab's own helper processes: v2 if mounted, for
 * cgroup.kill; else a v1 one, preferably pids.
 */
export function killHierarchy(hs: Hierarchy[] = hierarchies()): Hierarchy | undefined {
  return (
    hs.find((h) => h.version === 2) ??
    hs.find((h) => h.controllers.includes('pids')) ??
    hs.find((h) => h.version === 1 && !h.controllers.some((c) => c.startsWith('name=')))
  );
}

/** v2 only hands a controller to children whose every ancestor enables it in subtree_control. */
function enableV2Controller(h: Hierarchy, rel: string, controller: string): void {
  const parts = rel.split('/');
  let dir = h.mountPoint;
  for (let i = 0; i < parts.length; i++) {
    const ctl = join(dir, 'cgroup.subtree_control');
    if (!readWords(ctl).includes(controller)) writeFileSync(ctl, `+${controller}`);
    dir = join(dir, parts[i] ?? '');
    mkdirSync(dir, { recursive: true });
  }
}

/**
 * Creates `<rel>/jobs` for a host and, for speed < 1, caps it at speed × cores CPUs. zincd reuses
 * the directory for its jobs' cgroups, which inherit the cap as a whole.
 */
export function setupHostJobsCgroup(target: CpuLimitTarget, hostRel: string, speed: number, cores: number): void {
  const h = target.hierarchy;
  if (!h) return;
  const jobs = join(h.mountPoint, hostRel, 'jobs');
  if (target.mode === 'v2') enableV2Controller(h, `${hostRel}/jobs`, 'cpu');
  mkdirSync(jobs, { recursive: true });
  if (speed >= 1) return;
  if (target.mode === 'v1') {
    const period = Number(readFileSync(join(jobs, 'cpu.cfs_period_us'), 'utf8').trim()) || 100_000;
    writeFileSync(join(jobs, 'cpu.cfs_quota_us'), String(Math.max(1000, Math.round(speed * cores * period))));
  } else {
    const period = 100_000;
    writeFileSync(join(jobs, 'cpu.max'), `${Math.max(1000, Math.round(speed * cores * period))} ${period}`);
  }
}

/** Creates `rel` in the kill hierarchy and moves `pid` into it. */
export function adoptProcess(rel: string, pid: number, hs: Hierarchy[] = hierarchies()): void {
  const h = killHierarchy(hs);
  if (!h) return;
  const dir = join(h.mountPoint, rel);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cgroup.procs'), String(pid));
}

/** `dir` and all cgroups below it, deepest first. */
function subtree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isDirectory()) walk(join(d, e.name));
    out.push(d);
  };
  walk(dir);
  return out;
}

function procsIn(dir: string): number[] {
  return readWords(join(dir, 'cgroup.procs')).map(Number).filter((n) => Number.isInteger(n) && n > 0);
}

/** The lab's subtree in every hierarchy where it exists. */
export function labCgroupDirs(labRel: string, hs: Hierarchy[] = hierarchies()): Array<{ h: Hierarchy; dir: string }> {
  return hs.map((h) => ({ h, dir: join(h.mountPoint, labRel) })).filter((x) => existsSync(x.dir));
}

/**
 * Kills every process in the lab's subtree, in every hierarchy, until none is left. Frozen
 * processes are thawed first (a v1-frozen task does not die until thawed). Returns what is left
 * after `timeoutMs` (empty on success).
 */
export async function killLabCgroups(labRel: string, timeoutMs = 10_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dirs = labCgroupDirs(labRel);
    const left = new Set<number>();
    for (const { h, dir } of dirs) {
      for (const d of subtree(dir)) {
        if (h.version === 1 && existsSync(join(d, 'freezer.state'))) tryWrite(join(d, 'freezer.state'), 'THAWED');
        if (h.version === 2 && existsSync(join(d, 'cgroup.freeze'))) tryWrite(join(d, 'cgroup.freeze'), '0');
        for (const pid of procsIn(d)) left.add(pid);
      }
      // cgroup.kill takes the whole subtree at once, including processes forking right now.
      if (h.version === 2 && existsSync(join(dir, 'cgroup.kill'))) tryWrite(join(dir, 'cgroup.kill'), '1');
    }
    left.delete(process.pid);
    if (left.size === 0) return [];
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    if (Date.now() > deadline) return [...left];
    await sleep(50);
  }
}

/** rmdir of the lab's subtree, deepest first, in every hierarchy. Returns directories left. */
export async function removeLabCgroups(labRel: string, timeoutMs = 5_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left: string[] = [];
    for (const { dir } of labCgroupDirs(labRel)) {
      for (const d of subtree(dir)) {
        try {
          rmdirSync(d);
        } catch {
          // EBUSY right after a kill: the last tasks are still exiting.
          left.push(d);
        }
      }
    }
    if (left.length === 0) {
      removeTopIfEmpty();
      return [];
    }
    if (Date.now() > deadline) return left;
    await sleep(50);
  }
}

/** Removes `zinc-lab` itself from every hierarchy once no lab is left in it. */
function removeTopIfEmpty(): void {
  for (const h of hierarchies()) {
    const top = join(h.mountPoint, CGROUP_TOP);
    if (!existsSync(top)) continue;
    const children = readdirSync(top, { withFileTypes: true }).filter((e) => e.isDirectory());
    if (children.length === 0) {
      try {
        rmdirSync(top);
      } catch {
        // Another lab is being created right now: leave it.
      }
    }
  }
}

function tryWrite(path: string, value: string): void {
  try {
    writeFileSync(path, value);
  } catch {
    // Not supported here, or the cgroup just went away.
  }
}
