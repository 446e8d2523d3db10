/**
 * Named network namespaces (files under /run/netns, as `ip netns` makes them). Everything the lab
 * configures is done with `ip -n NS` / `tc -n NS`, or `nsenter --net=…` for sysctls, so nothing is
 * ever created in, or changed in, the root network namespace.
 */
import { existsSync, readdirSync, unlinkSync } from 'node:fs';
import { NETNS_DIR, netnsPath } from './paths.js';
import { run, runOk } from './run.js';
import { isMountPoint, umount } from './mounts.js';

export async function addNetns(ns: string, opts: { forward: boolean }): Promise<void> {
  await runOk(['ip', 'netns', 'add', ns]);
  await runOk(['ip', '-n', ns, 'link', 'set', 'lo', 'up']); // CRIU needs lo up
  // No IPv6 on the lab's interfaces: it would only add router solicitations, DAD and MLD chatter
  // to every WAN link. lo already exists, so it keeps ::1.
  const sysctls = ['net.ipv6.conf.default.disable_ipv6=1', `net.ipv4.ip_forward=${opts.forward ? 1 : 0}`];
  await runOk(['nsenter', `--net=${netnsPath(ns)}`, '--', 'sysctl', '-q', '-w', ...sysctls]);
}

/** Names of the namespaces under /run/netns that start with `prefix`. */
export function listNetns(prefix: string): string[] {
  if (!existsSync(NETNS_DIR)) return [];
  return readdirSync(NETNS_DIR).filter((n) => n.startsWith(prefix));
}

/** Deletes a namespace; also copes with a file left half-made by a killed `ip netns add`. */
export async function deleteNetns(ns: string): Promise<void> {
  const path = netnsPath(ns);
  const r = await run(['ip', 'netns', 'delete', ns]);
  if (r.code === 0 && !existsSync(path)) return;
  if (isMountPoint(path)) await umount(path);
  if (existsSync(path)) unlinkSync(path);
}

/** `ip -n NS …` */
export function ip(ns: string, args: readonly string[]): Promise<string> {
  return runOk(['ip', '-n', ns, ...args]);
}

/** `tc -n NS …` */
export function tc(ns: string, args: readonly string[]): Promise<string> {
  return runOk(['tc', '-n', ns, ...args]);
}
