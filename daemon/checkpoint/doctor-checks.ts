/** CRIU's part of `zinc doctor`: where CRIU is, its version, `criu check`, lazy pages. */
import type { DoctorCheck } from '../../proto/generated/zinc/v1/DoctorCheck.js';
import type { Config } from '../config/schema.js';
import { criuDoctor } from '../criu/probe.js';

export function criuDoctorChecks(config: Config): Promise<DoctorCheck[]> {
  return criuDoctor(config.criu ? { explicit: config.criu } : {});
}
