/** CRIU's part of `zinc doctor`: where CRIU is, its version, `criu check`, lazy pages. */
import type { DoctorCheck } from '../../proto/generated/zinc/v1/DoctorCheck.js';
import type { Config } from '../config/schema.js';
import { locateCriu } from '../criu/locate.js';

export async function criuDoctorChecks(config: Config): Promise<DoctorCheck[]> {
  const loc = await locateCriu(config.criu ? { explicit: config.criu } : {});
  if (!loc.found) return [{ name: 'criu', ok: false, detail: loc.reason, fix: loc.hint, warning: false }];
  return [{ name: 'criu', ok: true, detail: `${loc.path} (from ${loc.origin})`, fix: '', warning: false }];
}
