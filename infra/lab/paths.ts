/**
 * Where the lab keeps things, in one place so that `up`, `down` and the leftover scan agree.
 *
 * Lab names contain no '-', so the prefix `zl-<lab>-` of a namespace (or `<lab>-` of a mount-ns
 * file) can never match another lab's. Infrastructure namespaces have a '.' in their name and
 * host ids never do, so a host cannot collide with a router or a relay.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Holds `<lab>.json` (state), `<lab>.lock` and `<lab>-<host>.mnt` (persistent mount namespaces). */
export const RUN_DIR = '/run/zinc-lab';
/** Where `ip netns` keeps its namespace files. */
export const NETNS_DIR = '/run/netns';
/** Default parent of each lab's directory (host state, logs). */
export const DEFAULT_BASE_DIR = '/tmp/zinc-lab';
/** The path at which every host sees its own state directory. */
export const HOST_STATE_MOUNT = '/var/lib/zinc';
/** The cgroup subtree (relative to each hierarchy's root) that holds every lab. */
export const CGROUP_TOP = 'zinc-lab';
/** Port every zincd listens on, at its host's address. */
export const ZINCD_PORT = 7070;

export const LAB_NAME_RE = /^[a-z][a-z0-9]{0,11}$/;

export const nsPrefix = (lab: string): string => `zl-${lab}-`;
export const hostNs = (lab: string, host: string): string => `zl-${lab}-${host}`;
export const routerNs = (lab: string, domain: string): string => `zl-${lab}-router.${domain}`;
export const relayNs = (lab: string, domain: string): string => `zl-${lab}-relay.${domain}`;
export const backboneNs = (lab: string): string => `zl-${lab}-backbone.wan`;
export const netnsPath = (ns: string): string => join(NETNS_DIR, ns);

export const stateFile = (lab: string): string => join(RUN_DIR, `${lab}.json`);
export const lockFile = (lab: string): string => join(RUN_DIR, `${lab}.lock`);
export const mntPrefix = (lab: string): string => `${lab}-`;
export const mntFile = (lab: string, host: string): string => join(RUN_DIR, `${lab}-${host}.mnt`);

export const labDir = (baseDir: string, lab: string): string => join(baseDir, lab);
export const hostStateDir = (dir: string, host: string): string => join(dir, 'hosts', host, 'state');
export const logDir = (dir: string): string => join(dir, 'logs');
export const cgroupLabRel = (lab: string): string => `${CGROUP_TOP}/${lab}`;
export const cgroupHostRel = (lab: string, host: string): string => `${CGROUP_TOP}/${lab}/${host}`;

/**
 * The zinc install root: the directory holding zinc's package.json. Found from this module's own
 * location, so it works from dist/infra/lab/*.js and from the TypeScript sources under vitest,
 * whatever the current directory is.
 */
export function installRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const parsed: unknown = JSON.parse(readFileSync(pkg, 'utf8'));
        if (typeof parsed === 'object' && parsed !== null && 'name' in parsed && parsed.name === 'zinc-grid') return dir;
      } catch {
        // Not ours (or unreadable): keep walking up.
      }
    }
    dir = dirname(dir);
  }
  throw new Error(`zinc install root not found above ${fileURLToPath(import.meta.url)}`);
}

export const relayBinary = (root: string): string => join(root, 'build', 'zinc-relay');
export const zincdEntry = (root: string): string => join(root, 'dist', 'daemon', 'main.js');
export const zincCliEntry = (root: string): string => join(root, 'dist', 'cli', 'main.js');
export const probeEntry = (root: string): string => join(root, 'dist', 'infra', 'lab', 'probe.js');
export const labCliEntry = (root: string): string => join(root, 'dist', 'infra', 'lab', 'main.js');
