/**
 * CRIU ends every dump and restore by stopping the task on a hardware breakpoint. Some virtual
 * machines (seen: Firecracker guests under PVM) accept the debug registers through ptrace and then
 * never raise the trap, so CRIU waits for ever with the job seized, and nothing says why. CRIU can
 * trace to the same point syscall by syscall instead; its switch for that is the fault-injection
 * code 130 ("no breakpoints") in CRIU_FAULT. build/zinc-hwbp-probe (daemon/criu/hw-breakpoints.c)
 * tells which case this machine is, in ~5 ms.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** CRIU's fault-injection code that makes it stop tasks by syscall tracing, not breakpoints. */
export const CRIU_NO_BREAKPOINTS = '130';

export interface BreakpointProbe {
  /** ok: breakpoints fire; broken: they do not (CRIU needs CRIU_FAULT=130); unknown: not probed. */
  state: 'ok' | 'broken' | 'unknown';
  detail: string;
}

/** build/zinc-hwbp-probe next to this installation (from dist/daemon/criu/ or daemon/criu/). */
export function hwbpProbePath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', '..', '..', 'build', 'zinc-hwbp-probe'), join(here, '..', '..', 'build', 'zinc-hwbp-probe')];
  return candidates.find((c) => existsSync(c)) ?? (candidates[0] as string);
}

export function probeHwBreakpoints(probe = hwbpProbePath()): Promise<BreakpointProbe> {
  if (!existsSync(probe)) return Promise.resolve({ state: 'unknown', detail: `${probe} is missing (build zinc with \`node scripts/build.mjs\`)` });
  return new Promise((resolve) => {
    execFile(probe, [], { timeout: 10_000 }, (err, stdout) => {
      const line = stdout.trim().split('\n')[0] ?? '';
      if (!err && line === 'ok') resolve({ state: 'ok', detail: 'hardware breakpoints set through ptrace fire' });
      else if (!err && line.startsWith('broken: ')) resolve({ state: 'broken', detail: line.slice('broken: '.length) });
      else resolve({ state: 'unknown', detail: line || (err ? err.message : 'no answer') });
    });
  });
}

let adapted: Promise<BreakpointProbe> | undefined;

/**
 * Probes once per process and, where breakpoints do not fire, sets CRIU_FAULT=130 in this
 * process's environment, so that every CRIU it starts inherits it: directly, or through a job's
 * supervisor (which passes its environment to `criu restore`, never to the job). An operator's own
 * CRIU_FAULT is left as it is.
 */
export function adaptCriuToBreakpoints(): Promise<BreakpointProbe> {
  adapted ??= probeHwBreakpoints().then((p) => {
    if (p.state === 'broken' && process.env.CRIU_FAULT === undefined) process.env.CRIU_FAULT = CRIU_NO_BREAKPOINTS;
    return p;
  });
  return adapted;
}
