/** CRIU's part of `zinc doctor`: where CRIU is, its version, `criu check`, lazy pages. */
import type { DoctorCheck } from '../../proto/generated/zinc/v1/DoctorCheck.js';
import type { Config } from '../config/schema.js';
import { adaptCriuToBreakpoints, CRIU_NO_BREAKPOINTS, type BreakpointProbe } from '../criu/breakpoints.js';
import { criuDoctor } from '../criu/probe.js';

export async function criuDoctorChecks(config: Config): Promise<DoctorCheck[]> {
  const [checks, bp] = await Promise.all([criuDoctor(config.criu ? { explicit: config.criu } : {}), adaptCriuToBreakpoints()]);
  return [...checks, breakpointCheck(bp)];
}

/** A warning, not a failure: zincd works around it, but a raw `criu dump` here would hang. */
function breakpointCheck(bp: BreakpointProbe): DoctorCheck {
  const name = 'criu.breakpoints';
  if (bp.state === 'ok') return { name, ok: true, detail: bp.detail, fix: '', warning: false };
  if (bp.state === 'broken') {
    return {
      name,
      ok: true,
      warning: true,
      detail: `${bp.detail}; CRIU would wait for ever at the end of every dump and restore, so zincd runs it with CRIU_FAULT=${process.env.CRIU_FAULT ?? CRIU_NO_BREAKPOINTS}`,
      fix: `none needed for zinc; run CRIU by hand here as CRIU_FAULT=${CRIU_NO_BREAKPOINTS} criu …`,
    };
  }
  return { name, ok: true, warning: true, detail: `could not tell whether hardware breakpoints fire: ${bp.detail}`, fix: 'rebuild zinc (node scripts/build.mjs); if CRIU hangs after "new_sp=… ip …" in its log, set CRIU_FAULT=130' };
}
