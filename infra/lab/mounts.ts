/** Reading /proc/self/mountinfo and unmounting: shared by the netns, mount-ns and cgroup code. */
import { readFileSync } from 'node:fs';
import { run, runOk } from './run.js';

export interface MountEntry {
  /** major:minor of the filesystem: the same for every mount of one cgroup hierarchy. */
  device: string;
  root: string;
  mountPoint: string;
  fsType: string;
  superOptions: string[];
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export function readMounts(text: string = readFileSync('/proc/self/mountinfo', 'utf8')): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(' ');
    const right = line.slice(sep + 3).split(' ');
    out.push({
      device: left[2] ?? '',
      root: unescape(left[3] ?? ''),
      mountPoint: unescape(left[4] ?? ''),
      fsType: right[0] ?? '',
      superOptions: (right[2] ?? '').split(','),
    });
  }
  return out;
}

export function isMountPoint(path: string, mounts: MountEntry[] = readMounts()): boolean {
  return mounts.some((m) => m.mountPoint === path);
}

/** Mount points at or below `dir`, deepest first. */
export function mountsUnder(dir: string, mounts: MountEntry[] = readMounts()): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return mounts
    .map((m) => m.mountPoint)
    .filter((p) => p === dir || p.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}

/** Unmounts every mount stacked on `path`; falls back to a lazy unmount if it is busy. */
export async function umount(path: string): Promise<void> {
  for (let i = 0; i < 8 && isMountPoint(path); i++) {
    const r = await run(['umount', path]);
    if (r.code !== 0) await runOk(['umount', '-l', path]);
  }
}
