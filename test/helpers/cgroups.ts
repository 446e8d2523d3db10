/** Test cleanup for cgroups: kill everything under a subtree, then remove it in every hierarchy. */
import { existsSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { detectCgroups } from '../../daemon/cgroups/detect.js';

function hierarchyRoots(): string[] {
  const l = detectCgroups();
  return [...new Set([...(l.v2Root ? [l.v2Root] : []), ...Object.values(l.v1)])];
}

function dirsDeepestFirst(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    try {
      if (statSync(p).isDirectory()) out.push(...dirsDeepestFirst(p));
    } catch {
      // raced with removal
    }
  }
  out.push(dir);
  return out;
}

export function procsUnder(rel: string): number[] {
  const pids = new Set<number>();
  for (const root of hierarchyRoots()) {
    for (const d of dirsDeepestFirst(join(root, rel))) {
      try {
        for (const l of readFileSync(join(d, 'cgroup.procs'), 'utf8').split('\n')) if (l) pids.add(Number(l));
      } catch {
        // gone
      }
    }
  }
  return [...pids];
}

/**
 * SIGKILL every process under a subtree, as a host crash would. Processes may exit on their own
 * between listing and signalling (the job's PID-namespace init takes its children with it), so
 * ESRCH is expected; repeat until the subtree is empty.
 */
export async function killProcsUnder(rel: string): Promise<void> {
  for (let round = 0; round < 100; round++) {
    const pids = procsUnder(rel);
    if (pids.length === 0) return;
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`processes under cgroup ${rel} survived SIGKILL for 2 s: ${procsUnder(rel).join(' ')}`);
}

export async function destroyCgroupTree(rel: string): Promise<void> {
  const l = detectCgroups();
  for (let round = 0; round < 100; round++) {
    const pids = procsUnder(rel);
    if (pids.length === 0) break;
    const v2 = l.v2Root ? join(l.v2Root, rel) : undefined;
    if (v2 && existsSync(join(v2, 'cgroup.kill'))) {
      try {
        writeFileSync(join(v2, 'cgroup.kill'), '1');
      } catch {
        // fall through to per-pid kill
      }
    }
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const root of hierarchyRoots()) {
    for (const d of dirsDeepestFirst(join(root, rel))) {
      try {
        rmdirSync(d);
      } catch {
        // still busy or gone
      }
    }
    // The shared parents (e.g. zinc-test/) too, once no other test uses them: rmdir refuses a
    // cgroup that still has children, so a concurrent test's tree is never touched.
    for (let parent = dirname(rel); parent !== '.' && parent !== '/'; parent = dirname(parent)) {
      try {
        rmdirSync(join(root, parent));
      } catch {
        break;
      }
    }
  }
}
