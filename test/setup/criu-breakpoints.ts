/**
 * Global setup: where hardware breakpoints do not fire (daemon/criu/breakpoints.ts), set
 * CRIU_FAULT=130 before any worker starts, so that the raw CRIU runs of tests and benchmarks (the
 * floors zinc is measured against) do not hang either. zincd probes and adapts on its own.
 */
import { adaptCriuToBreakpoints } from '../../daemon/criu/breakpoints.js';

export default async function setup(): Promise<void> {
  const bp = await adaptCriuToBreakpoints();
  if (bp.state === 'broken') process.stdout.write(`criu: hardware breakpoints do not fire here (${bp.detail}); CRIU runs with CRIU_FAULT=${process.env.CRIU_FAULT}\n`);
}
