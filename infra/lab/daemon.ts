/**
 * One zincd per lab host: its flags, starting it detached inside the host's network and mount
 * namespaces with its output in a log file, and waiting until it is ready, meaning that it answers
 * Hello on its unix socket with its own pid (an accepting socket alone can belong to a daemon that
 * is not the one just started).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { ZincClient } from '../../cli/client.js';
import { LabDaemonStartError } from './errors.js';
import { HOST_STATE_MOUNT, ZINCD_PORT, netnsPath } from './paths.js';
import { isAlive, procRef, type ProcRef } from './procs.js';
import { sleep } from './run.js';

export interface DaemonHost {
  id: string;
  domain: string;
  address: string;
  netns: string;
  mntFile: string;
  socket: string;
  daemonLog: string;
  speed: number;
  cores: number;
  peers: string[];
}

/** zincd's flags for a host; `extra` (from --daemon-arg) come last so they can override. */
export function daemonArgs(h: DaemonHost, cgroupParent: string, extra: readonly string[]): string[] {
  return [
    '--host-id', h.id,
    '--domain', h.domain,
    '--state-dir', HOST_STATE_MOUNT,
    '--socket', `${HOST_STATE_MOUNT}/zincd.sock`,
    '--listen', `${h.address}:${ZINCD_PORT}`,
    ...(h.peers.length > 0 ? ['--peers', h.peers.join(',')] : []),
    '--cgroup-parent', cgroupParent,
    '--speed', String(h.speed),
    '--cores', String(h.cores),
    ...extra,
  ];
}

/** argv prefix that runs a command inside a lab host (its network and mount namespaces). */
export function enterHostArgv(h: { mntFile: string; netns: string }, cwd?: string): string[] {
  return ['nsenter', `--mount=${h.mntFile}`, `--net=${netnsPath(h.netns)}`, ...(cwd ? [`--wd=${cwd}`] : []), '--'];
}

/**
 * Starts zincd detached (own session, no controlling terminal, stdio to its log). nsenter execs
 * node in place, so the pid we get is zincd's own.
 */
export function spawnDaemon(h: DaemonHost, entry: string, args: readonly string[], env: NodeJS.ProcessEnv): ProcRef {
  const log = openSync(h.daemonLog, 'a', 0o644);
  // A pino-shaped line, so the log stays one JSON object per line for whoever reads it.
  const header = { level: 30, time: new Date().toISOString(), area: 'zinc-lab', hostId: h.id, msg: 'starting zincd', argv: args };
  writeSync(log, JSON.stringify(header) + '\n');
  const argv = [...enterHostArgv(h, '/'), process.execPath, entry, ...args];
  const [cmd, ...rest] = argv;
  const child = spawn(cmd ?? 'nsenter', rest, { detached: true, stdio: ['ignore', log, log], env });
  closeSync(log);
  child.on('error', () => undefined); // reported through readiness (the process is not alive)
  child.unref();
  const ref = child.pid !== undefined ? procRef(child.pid) : undefined;
  // A pid without /proc entry means it already died; readiness will report the log.
  return ref ?? { pid: child.pid ?? 1, startTime: -1 };
}

/**
 * Resolves once the very process of `ref` answers Hello on the host's socket; rejects if it dies
 * or time runs out.
 */
export async function waitDaemonReady(h: DaemonHost, ref: ProcRef, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (existsSync(h.socket) && (await answeringPid(h.socket)) === ref.pid) return;
    if (!isAlive(ref)) {
      await sleep(100); // let its last words reach the log
      throw new LabDaemonStartError(h.id, 'it exited', h.daemonLog, logTail(h.daemonLog));
    }
    if (Date.now() > deadline) {
      throw new LabDaemonStartError(h.id, `its socket ${h.socket} did not accept connections within ${timeoutMs} ms`, h.daemonLog, logTail(h.daemonLog));
    }
    await sleep(100);
  }
}

/** The pid of the zincd that answers Hello on `socket`, or undefined if none answers in time. */
export async function answeringPid(socket: string, timeoutMs = 2_000): Promise<number | undefined> {
  const client = new ZincClient(socket);
  try {
    const reply = await client.call(client.hosts, 'hello', {}, timeoutMs);
    return reply.pid || undefined;
  } catch {
    return undefined;
  } finally {
    client.close();
  }
}

export function logTail(path: string, lines = 20): string {
  try {
    const text = readFileSync(path, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
