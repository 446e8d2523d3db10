/**
 * Measures this host's state for gossip and placement.
 *
 * Load is the run-queue length of zinc's own jobs (runnable threads in the jobs' cgroups),
 * smoothed exponentially like the kernel's loadavg but with a shorter time constant so placement
 * and balancing react within seconds. It is counted per cgroup rather than read from
 * /proc/loadavg so that several hosts sharing one kernel (the netns lab) each see their own load.
 * Free memory is the host's available memory minus what zinc's jobs use, capped by --mem-total.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { CgroupSet } from '../cgroups/cgroup-set.js';

export interface HostSample {
  cores: number;
  speed: number;
  load: number;
  memFreeBytes: number;
  memTotalBytes: number;
  jobs: number;
}

export interface ProbeOptions {
  cores: number;
  speed: number;
  memTotalBytes?: number;
  /** Smoothing time constant in ms. */
  tauMs: number;
}

export class HostProbe {
  private load = 0;
  private lastAt: number | undefined;

  constructor(private readonly o: ProbeOptions, private readonly clock: () => number = Date.now) {}

  /** Take a sample. `jobCgroups` are the cgroups of live jobs; `jobsParent` holds them all. */
  sample(jobCgroups: CgroupSet[], jobsParent: CgroupSet | undefined, runningJobs: number): HostSample {
    const now = this.clock();
    const runnable = jobCgroups.reduce((n, cg) => n + runnableThreads(cg.pids()), 0);
    if (this.lastAt === undefined) this.load = runnable;
    else {
      const a = Math.exp(-(now - this.lastAt) / this.o.tauMs);
      this.load = this.load * a + runnable * (1 - a);
    }
    this.lastAt = now;
    const mem = meminfo();
    const total = Math.min(this.o.memTotalBytes ?? mem.total, mem.total);
    const used = jobsParent?.memoryCurrent() ?? 0;
    const free = Math.max(0, Math.min(mem.available, total - used));
    return {
      cores: this.o.cores,
      speed: this.o.speed,
      load: Math.round(this.load * 1000) / 1000,
      memFreeBytes: free,
      memTotalBytes: total,
      jobs: runningJobs,
    };
  }

  /** Jobs just placed here count immediately, before the next sample sees them run. */
  bump(by: number): void {
    this.load += by;
  }
}

function runnableThreads(pids: number[]): number {
  let n = 0;
  for (const pid of pids) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        if (stat.charAt(stat.lastIndexOf(')') + 2) === 'R') n++;
      } catch {
        // exited meanwhile
      }
    }
  }
  return n;
}

export function meminfo(): { total: number; available: number } {
  const text = readFileSync('/proc/meminfo', 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { total: kb('MemTotal'), available: kb('MemAvailable') };
}
