/**
 * The lab's state file, /run/zinc-lab/<lab>.json: everything `down`, `status`, `exec` and the
 * fault injectors need, including the pid *and start time* of every process the lab started.
 * Written atomically (write, then rename) after every step of `up`, so that a SIGKILLed `up`
 * leaves a file describing what it had done so far. Also the per-lab lock.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { LabBusyError, LabNotFoundError, LabStateError } from './errors.js';
import { RUN_DIR, lockFile, stateFile } from './paths.js';
import { PEERINGS } from './topology.js';
import { isAlive, procRef, type ProcRef } from './procs.js';

const ProcRefSchema = z.object({ pid: z.number().int().positive(), startTime: z.number().int().nonnegative() });

const DomainState = z.object({
  name: z.string(),
  index: z.number().int(),
  subnet: z.string(),
  gateway: z.string(),
  wanAddress: z.string(),
  routerNs: z.string(),
  relayNs: z.string(),
  wanRateBps: z.number().nullable(),
  wanDelayUs: z.number(),
  relay: ProcRefSchema.nullable(),
  relayLog: z.string(),
  cut: z.boolean(),
});
export type DomainState = z.infer<typeof DomainState>;

const HostState = z.object({
  id: z.string(),
  domain: z.string(),
  index: z.number().int(),
  address: z.string(),
  netns: z.string(),
  mntFile: z.string(),
  /** The host's /var/lib/zinc, as seen from the root namespaces. */
  stateDir: z.string(),
  /** zincd's socket as seen from the root namespaces. */
  socket: z.string(),
  daemonLog: z.string(),
  speed: z.number(),
  cores: z.number().int(),
  peers: z.array(z.string()),
  /** zincd's arguments (after `node main.js`), kept so startDaemon restarts it identically. */
  daemonArgs: z.array(z.string()),
  daemon: ProcRefSchema.nullable(),
});
export type HostState = z.infer<typeof HostState>;

const LabStateSchema = z.object({
  version: z.literal(1),
  name: z.string(),
  createdAt: z.string(),
  /** False until `up` finished; a false state whose owner is dead is a crashed `up`. */
  complete: z.boolean(),
  owner: ProcRefSchema,
  root: z.string(),
  labDir: z.string(),
  backboneNs: z.string(),
  lanRateBps: z.number().nullable(),
  peering: z.enum(PEERINGS),
  daemons: z.boolean(),
  /** The JS file run with node as each host's daemon. */
  daemonEntry: z.string(),
  extraDaemonArgs: z.array(z.string()),
  /** Daemons use mutual TLS with the lab's PKI (<labDir>/pki); false: plaintext with --insecure. */
  tls: z.boolean().default(true),
  cpuLimit: z.enum(['v1', 'v2', 'none']),
  domains: z.array(DomainState),
  hosts: z.array(HostState),
});
export type LabState = z.infer<typeof LabStateSchema>;

export function ensureRunDir(): void {
  mkdirSync(RUN_DIR, { recursive: true, mode: 0o755 });
}

export function writeState(state: LabState): void {
  ensureRunDir();
  const path = stateFile(state.name);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o644 });
  renameSync(tmp, path);
}

/** The validated state of `lab`; throws LabNotFoundError or LabStateError. */
export function readState(lab: string): LabState {
  const path = stateFile(lab);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new LabNotFoundError(lab);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new LabStateError(path, (err as Error).message);
  }
  const r = LabStateSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new LabStateError(path, `${i?.path.join('.') ?? ''}: ${i?.message ?? 'invalid'}`);
  }
  return r.data;
}

/** Like readState, but undefined when the file is missing or unusable (cleanup must go on). */
export function readStateLenient(lab: string): LabState | undefined {
  try {
    return readState(lab);
  } catch {
    return undefined;
  }
}

export function removeStateFile(lab: string): void {
  for (const p of [stateFile(lab), `${stateFile(lab)}.tmp-${process.pid}`]) {
    if (existsSync(p)) unlinkSync(p);
  }
}

/**
 * An exclusive lock on a lab name for `up` and `down`, held by this process. A lock left by a dead
 * process (same pid check as everywhere: pid plus start time) is taken over.
 */
export function acquireLock(lab: string): () => void {
  ensureRunDir();
  const path = lockFile(lab);
  const me = procRef(process.pid);
  if (!me) throw new Error('cannot read own /proc entry');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      writeSync(fd, `${me.pid} ${me.startTime}\n`);
      closeSync(fd);
      return () => {
        try {
          const [pid, start] = readFileSync(path, 'utf8').trim().split(' ').map(Number);
          if (pid === me.pid && start === me.startTime) unlinkSync(path);
        } catch {
          // Already gone.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readLockHolder(path);
    if (holder && holder.pid === me.pid && holder.startTime === me.startTime) {
      throw new LabBusyError(lab, holder.pid);
    }
    if (holder && isAlive(holder)) throw new LabBusyError(lab, holder.pid);
    try {
      unlinkSync(path); // stale: its holder is gone
    } catch {
      // Someone else removed it first; retry.
    }
  }
  throw new LabBusyError(lab, -1);
}

function readLockHolder(path: string): ProcRef | undefined {
  try {
    const [pid, startTime] = readFileSync(path, 'utf8').trim().split(' ').map(Number);
    if (pid === undefined || startTime === undefined || !Number.isInteger(pid) || !Number.isInteger(startTime)) return undefined;
    return { pid, startTime };
  } catch {
    return undefined;
  }
}
