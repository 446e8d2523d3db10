/**
 * Removing a lab completely, whether `down` asked for it, `up` failed half-way, or a previous `up`
 * was SIGKILLed before it could record anything. Leftovers are found both from the state file and by
 * scanning: namespaces named `zl-<lab>-*`, mount-ns files `/run/zinc-lab/<lab>-*.mnt`, the cgroup
 * subtree `zinc-lab/<lab>` in every hierarchy, the lab directory.
 *
 * Only the lab's own processes are killed: those recorded in the state (checked against their
 * start time), those in the lab's cgroup subtree, and those living in one of the lab's namespaces.
 * Never anything chosen by name.
 */
import { existsSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { killLabCgroups, labCgroupDirs, removeLabCgroups } from './cgroups.js';
import { LabCleanupError } from './errors.js';
import { listMountNsFiles, removeHostMountNs } from './mount-ns.js';
import { mountsUnder, umount } from './mounts.js';
import { deleteNetns, listNetns } from './netns.js';
import { DEFAULT_BASE_DIR, cgroupLabRel, labDir as defaultLabDir, netnsPath, nsPrefix } from './paths.js';
import { isAlive, nsKey, processesInNamespaces, terminate } from './procs.js';
import { sleep } from './run.js';
import { readStateLenient, removeStateFile } from './state.js';

export interface CleanupReport {
  /** Whether anything of the lab existed at all. */
  found: boolean;
  processesKilled: number;
  netns: string[];
  mountNsFiles: string[];
  cgroupDirs: string[];
  labDir: string | undefined;
}

export interface CleanupOptions {
  baseDir?: string;
  log?: (line: string) => void;
  /** How long zincd gets to exit after SIGTERM before SIGKILL. */
  daemonGraceMs?: number;
}

export async function removeLab(lab: string, opts: CleanupOptions = {}): Promise<CleanupReport> {
  const log = opts.log ?? (() => undefined);
  const state = readStateLenient(lab);
  const dirs = new Set<string>([defaultLabDir(opts.baseDir ?? DEFAULT_BASE_DIR, lab)]);
  if (state && basename(state.labDir) === lab) dirs.add(state.labDir);
  const netns = listNetns(nsPrefix(lab));
  const mntFiles = listMountNsFiles(lab);
  const cgroupDirs = labCgroupDirs(cgroupLabRel(lab)).map((x) => x.dir);
  const report: CleanupReport = {
    found: state !== undefined || netns.length > 0 || mntFiles.length > 0 || cgroupDirs.length > 0 || [...dirs].some((d) => existsSync(d)),
    processesKilled: 0,
    netns,
    mountNsFiles: mntFiles,
    cgroupDirs,
    labDir: [...dirs].find((d) => existsSync(d)),
  };
  if (!report.found) return report;
  log(`removing lab ${lab}: ${netns.length} namespaces, ${mntFiles.length} mount namespaces, cgroups in ${cgroupDirs.length} hierarchies`);

  // 1. The processes the lab recorded: zincd first and gently (it may want to save state).
  if (state) {
    const daemons = state.hosts.flatMap((h) => (h.daemon && isAlive(h.daemon) ? [h.daemon] : []));
    const relays = state.domains.flatMap((d) => (d.relay && isAlive(d.relay) ? [d.relay] : []));
    report.processesKilled += daemons.length + relays.length;
    await Promise.all(daemons.map((r) => terminate(r, opts.daemonGraceMs ?? 3_000)));
    await Promise.all(relays.map((r) => terminate(r, 1_000)));
  }

  // 2. Everything in the lab's cgroups: jobs, shims, daemons, relays.
  const cgroupLeft = await killLabCgroups(cgroupLabRel(lab));

  // 3. Whatever still runs inside a lab namespace (e.g. an unrecorded relay or zincd of a
  //    SIGKILLed `up`, or a shell someone opened with `zinc-lab exec`).
  const keys = new Set<string>();
  for (const ns of netns) {
    const k = nsKey(netnsPath(ns));
    if (k) keys.add(k);
  }
  for (const f of mntFiles) {
    const k = nsKey(f);
    if (k) keys.add(k);
  }
  // An unmounted .mnt file is a plain empty file on tmpfs; its key matches no process.
  let nsLeft: number[] = [];
  for (let round = 0; round < 100; round++) {
    nsLeft = processesInNamespaces(keys);
    if (nsLeft.length === 0) break;
    report.processesKilled += round === 0 ? nsLeft.length : 0;
    for (const pid of nsLeft) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    await sleep(50);
  }

  // 4. The cgroup directories, deepest first, in every hierarchy.
  const cgroupDirsLeft = await removeLabCgroups(cgroupLabRel(lab));

  // 5. Network namespaces: deleting one destroys its interfaces and their veth peers.
  for (const ns of netns) await deleteNetns(ns);

  // 6. Mount namespaces.
  for (const f of mntFiles) await removeHostMountNs(f);

  // 7. Files: the lab directory (host state, logs), then the state file.
  for (const d of dirs) {
    if (!existsSync(d)) continue;
    for (const m of mountsUnder(d)) await umount(m); // never delete through a mount
    rmSync(d, { recursive: true, force: true });
    const base = dirname(d);
    try {
      if (readdirSync(base).length === 0) rmdirSync(base);
    } catch {
      // Base shared with other labs: keep it.
    }
  }
  removeStateFile(lab);

  const leftovers: string[] = [];
  if (cgroupLeft.length) leftovers.push(`processes in cgroups: ${cgroupLeft.join(' ')}`);
  if (nsLeft.length) leftovers.push(`processes in namespaces: ${nsLeft.join(' ')}`);
  if (cgroupDirsLeft.length) leftovers.push(`cgroups: ${cgroupDirsLeft.join(' ')}`);
  const nsStill = listNetns(nsPrefix(lab));
  if (nsStill.length) leftovers.push(`netns: ${nsStill.join(' ')}`);
  const mntStill = listMountNsFiles(lab);
  if (mntStill.length) leftovers.push(`mount namespaces: ${mntStill.join(' ')}`);
  for (const d of dirs) if (existsSync(d)) leftovers.push(`directory ${d}`);
  if (leftovers.length) throw new LabCleanupError(lab, leftovers);
  return report;
}
