/**
 * Starting and steering the delaying relay (relay/zinc-relay.c) of a domain's WAN link. It runs
 * detached, joins the relay namespace itself (setns), and says "ready" on an inherited pipe once
 * its packet sockets are bound, so no frame is relayed undelayed or lost while it starts.
 *
 * cutLink/healLink are signals to the relay: SIGUSR1 makes it drop every frame in both directions,
 * silently (a blackhole: no ICMP, no RST, no link-down event), SIGUSR2 restores forwarding.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { LabRelayStartError } from './errors.js';
import { netnsPath } from './paths.js';
import { procRef, signalRef, type ProcRef } from './procs.js';

/** Relay interface names inside the relay namespace: towards the router, towards the backbone. */
export const RELAY_ROUTER_SIDE = 'to-router';
export const RELAY_BACKBONE_SIDE = 'to-backbone';

/** SCHED_FIFO priority of relays: low among real-time tasks, above every normal one. */
const RELAY_RT_PRIORITY = 10;

export interface RelaySpec {
  binary: string;
  domain: string;
  relayNs: string;
  delayUs: number;
  rateBps: number | null;
  cut: boolean;
  logFile: string;
}

/**
 * Queue per direction: what the link can have in flight (rate × delay), four times over for
 * bursts, within sane bounds. Memory is only touched as the queue fills.
 */
export function relayQueueBytes(rateBps: number | null, delayUs: number): number {
  if (rateBps === null) return 64 << 20;
  const inFlight = (rateBps / 8) * (delayUs / 1e6);
  return Math.min(256 << 20, Math.max(4 << 20, Math.ceil(4 * inFlight)));
}

export async function startRelay(spec: RelaySpec, timeoutMs = 5_000): Promise<ProcRef> {
  const log = openSync(spec.logFile, 'a', 0o644);
  writeSync(log, `--- zinc-lab: starting relay for ${spec.domain} at ${new Date().toISOString()}\n`);
  const args = [
    '--netns', netnsPath(spec.relayNs),
    '--a', RELAY_ROUTER_SIDE,
    '--b', RELAY_BACKBONE_SIDE,
    '--delay-us', String(spec.delayUs),
    '--queue-bytes', String(relayQueueBytes(spec.rateBps, spec.delayUs)),
    '--ready-fd', '3',
    // Real-time so that a busy machine does not add its scheduling delays to the link's.
    '--rt-priority', String(RELAY_RT_PRIORITY),
    ...(spec.cut ? ['--cut'] : []),
  ];
  const child = spawn(spec.binary, args, { detached: true, stdio: ['ignore', log, log, 'pipe'] });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) {
    throw new LabRelayStartError(spec.domain, 'spawn failed', spec.logFile);
  }
  const ref = procRef(pid);
  const ready = child.stdio[3];
  try {
    await new Promise<void>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new LabRelayStartError(spec.domain, `not ready after ${timeoutMs} ms`, spec.logFile)), timeoutMs);
      const fail = (why: string): void => {
        clearTimeout(timer);
        reject(new LabRelayStartError(spec.domain, why, spec.logFile));
      };
      child.once('error', (e) => fail(e.message));
      child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before it was ready`));
      if (!ready || !('on' in ready)) return fail('no readiness pipe');
      ready.on('data', (b: Buffer) => {
        text += b.toString('utf8');
        if (text.includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  } catch (err) {
    if (ref) signalRef(ref, 'SIGKILL');
    throw err;
  } finally {
    child.removeAllListeners('exit');
    ready?.destroy();
    child.unref();
  }
  if (!ref) throw new LabRelayStartError(spec.domain, 'exited right after start', spec.logFile);
  return ref;
}

export function setRelayCut(ref: ProcRef, cut: boolean): boolean {
  return signalRef(ref, cut ? 'SIGUSR1' : 'SIGUSR2');
}
