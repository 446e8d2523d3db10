/**
 * Per-host persistent mount namespaces. In each one the host's own state directory is bind-mounted
 * at /var/lib/zinc, so that a job's files have the same path on every lab host, as on separate
 * machines (CRIU restores open files by path). The namespace is kept alive by bind-mounting its
 * nsfs file on /run/zinc-lab/<lab>-<host>.mnt, which must sit on a private mount.
 *
 * `ip netns exec` is not used anywhere for hosts: it creates a throwaway mount namespace of its own
 * (remounting /sys), and CRIU then fails to dump.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_STATE_MOUNT, RUN_DIR, mntPrefix } from './paths.js';
import { isMountPoint, readMounts, umount } from './mounts.js';
import { runOk } from './run.js';

/** /run/zinc-lab as a private mount (a bind of itself), once per boot; and /var/lib/zinc. */
export async function prepareMountNsDir(): Promise<void> {
  mkdirSync(RUN_DIR, { recursive: true, mode: 0o755 });
  // Stays empty in the root namespace; each host sees its own directory there.
  mkdirSync(HOST_STATE_MOUNT, { recursive: true, mode: 0o755 });
  const mounts = readMounts();
  if (!isMountPoint(RUN_DIR, mounts)) await runOk(['mount', '--bind', RUN_DIR, RUN_DIR]);
  // A mount namespace file cannot be bind-mounted on a shared mount (propagation could loop).
  await runOk(['mount', '--make-private', RUN_DIR]);
}

export async function createHostMountNs(file: string, stateDir: string): Promise<void> {
  closeSync(openSync(file, 'a', 0o644));
  // Slave propagation: later mounts in the root namespace (e.g. new /run/netns entries, and their
  // removal by `ip netns delete`) still reach the host; nothing the host mounts leaks back.
  await runOk(['unshare', `--mount=${file}`, '--propagation', 'slave', 'mount', '--bind', stateDir, HOST_STATE_MOUNT]);
  // The new namespace copied the root's /run/zinc-lab with the .mnt files of hosts made before it;
  // those copies would pin the other hosts' namespaces after `down`. Drop them inside this host.
  await runOk(['nsenter', `--mount=${file}`, '--', 'umount', '-l', RUN_DIR]);
  // A private tmpfs /run, as on any systemd machine. CRIU caches its kernel-feature probe in
  // /run/criu.kdat only on tmpfs; without it every criu invocation spends ~30 ms re-probing.
  await runOk(['nsenter', `--mount=${file}`, '--', 'mount', '-t', 'tmpfs', '-o', 'mode=755,size=16m', 'zinc-run', '/run']);
}

/** Unmounts the namespace file (which frees the namespace once nothing runs in it) and removes it. */
export async function removeHostMountNs(file: string): Promise<void> {
  if (isMountPoint(file)) await umount(file);
  if (existsSync(file)) unlinkSync(file);
}

/** The .mnt files of `lab`, recorded or not: leftovers of a killed `up` are found this way. */
export function listMountNsFiles(lab: string): string[] {
  if (!existsSync(RUN_DIR)) return [];
  const prefix = mntPrefix(lab);
  return readdirSync(RUN_DIR)
    .filter((n) => n.startsWith(prefix) && n.endsWith('.mnt'))
    .map((n) => join(RUN_DIR, n));
}
