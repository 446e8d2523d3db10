/**
 * Finds out which cgroup layout this host has — pure v2, pure v1, or hybrid (v1 controllers plus a
 * controller-less v2 tree, as on the project's machines) — from /proc/self/mountinfo, instead of
 * assuming one.
 */
import { existsSync, readFileSync } from 'node:fs';

export type CgroupMode = 'v2' | 'hybrid' | 'v1' | 'none';

/** The v1 controllers zinc uses. */
export const V1_CONTROLLERS = ['cpu', 'cpuacct', 'memory', 'freezer', 'pids'] as const;
export type V1Controller = (typeof V1_CONTROLLERS)[number];

export interface CgroupLayout {
  mode: CgroupMode;
  /** Mount point of the v2 hierarchy, if any (/sys/fs/cgroup or /sys/fs/cgroup/unified). */
  v2Root: string | undefined;
  /** Controllers available in the v2 root (empty on hybrid hosts). */
  v2Controllers: string[];
  /** Mount point of each v1 controller that is mounted. */
  v1: Partial<Record<V1Controller, string>>;
  /** Whether v2 offers cgroup.freeze / cgroup.kill (kernel ≥ 5.2 / 5.14). */
  v2Freeze: boolean;
  v2Kill: boolean;
}

export function parseMountinfo(text: string): Array<{ mountPoint: string; fsType: string; superOptions: string[] }> {
  const out: Array<{ mountPoint: string; fsType: string; superOptions: string[] }> = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(' ');
    const right = line.slice(sep + 3).split(' ');
    const mountPoint = (left[4] ?? '').replace(/\\040/g, ' ');
    out.push({ mountPoint, fsType: right[0] ?? '', superOptions: (right[2] ?? '').split(',') });
  }
  return out;
}

export function detectCgroups(
  mountinfo: string = readFileSync('/proc/self/mountinfo', 'utf8'),
  exists: (p: string) => boolean = defaultExists,
  readText: (p: string) => string | undefined = defaultRead,
): CgroupLayout {
  const mounts = parseMountinfo(mountinfo);
  let v2Root: string | undefined;
  const v1: Partial<Record<V1Controller, string>> = {};
  for (const m of mounts) {
    if (m.fsType === 'cgroup2') {
      // Prefer the conventional locations if several are mounted.
      if (!v2Root || m.mountPoint === '/sys/fs/cgroup' || m.mountPoint === '/sys/fs/cgroup/unified') v2Root = m.mountPoint;
    } else if (m.fsType === 'cgroup') {
      for (const c of V1_CONTROLLERS) if (m.superOptions.includes(c) && !v1[c]) v1[c] = m.mountPoint;
    }
  }
  const v2Controllers = v2Root ? (readText(`${v2Root}/cgroup.controllers`) ?? '').trim().split(/\s+/).filter(Boolean) : [];
  const hasV1 = Object.keys(v1).length > 0;
  const mode: CgroupMode = v2Root ? (hasV1 ? 'hybrid' : 'v2') : hasV1 ? 'v1' : 'none';
  // cgroup.freeze/kill live in non-root cgroups only; probe on any child, else assume by kernel.
  const probe = (file: string) => (v2Root ? childHas(v2Root, file, exists) : false);
  return { mode, v2Root, v2Controllers, v1, v2Freeze: probe('cgroup.freeze'), v2Kill: probe('cgroup.kill') };
}

function childHas(root: string, file: string, exists: (p: string) => boolean): boolean {
  // The root cgroup has neither file; look at a well-known child, else go by the kernel version.
  for (const child of ['init.scope', 'system.slice', 'user.slice', 'zinc']) {
    if (exists(`${root}/${child}/${file}`)) return true;
  }
  return kernelAtLeast(file === 'cgroup.kill' ? [5, 14] : [5, 2]);
}

function kernelAtLeast([maj, min]: [number, number]): boolean {
  let release = '';
  try {
    release = readFileSync('/proc/sys/kernel/osrelease', 'utf8');
  } catch {
    return false;
  }
  const m = /^(\d+)\.(\d+)/.exec(release);
  if (!m) return false;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return a > maj || (a === maj && b >= min);
}

function defaultExists(p: string): boolean {
  return existsSync(p);
}

function defaultRead(p: string): string | undefined {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

export function describeLayout(l: CgroupLayout): string {
  const v1 = Object.entries(l.v1).map(([c, p]) => `${c}@${p}`).join(' ');
  switch (l.mode) {
    case 'v2':
      return `v2 at ${l.v2Root} (controllers: ${l.v2Controllers.join(' ') || 'none'})`;
    case 'hybrid':
      return `hybrid: v1 ${v1}; v2 at ${l.v2Root} (controllers: ${l.v2Controllers.join(' ') || 'none'}; freeze ${l.v2Freeze ? 'yes' : 'no'}, kill ${l.v2Kill ? 'yes' : 'no'})`;
    case 'v1':
      return `v1: ${v1}`;
    default:
      return 'no cgroup hierarchy mounted';
  }
}
