/** This host's jobs as the balancer sees them (daemon JobRecord → balancer LocalJob). */
import type { CgroupSet } from '../cgroups/cgroup-set.js';
import type { JobRecord } from '../jobs/record.js';
import type { LocalJob } from './types.js';

export function toLocalJob(r: JobRecord, cg: CgroupSet): LocalJob {
  const current = cg.memoryCurrent();
  return {
    gpid: r.gpid,
    state: r.state,
    startedAtMs: r.startedAt ?? r.submittedAt,
    imageBytes: current ?? r.usage?.peakRssBytes ?? 0,
    memBytes: r.spec.memBytes,
    domain: r.spec.domain,
    migratedAtMs: r.events.filter((e) => e.type === 'migrated').map((e) => e.at),
  };
}
