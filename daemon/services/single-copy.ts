/**
 * A GPID that already runs somewhere is never restored a second time. Before `zinc restart FILE`
 * restores an archive: not if this host has the job live, and not if the GPID's home host (which
 * always knows where its jobs are) reports it live anywhere.
 */
import * as grpc from '@grpc/grpc-js';
import { AlreadyRunningError } from '../checkpoint/errors.js';
import { ZincError } from '../common/zinc-error.js';
import { isServiceError } from '../grpc/status.js';
import { parseGpid } from '../jobs/gpid.js';
import { InvalidGpidError } from '../jobs/errors.js';
import { unary } from '../peers/pool.js';
import type { Actor } from '../security/authz.js';
import type { ServiceContext } from './context.js';

const LIVE_HERE = ['running', 'stopped', 'migrating', 'queued'];
const LIVE_WIRE = ['JOB_STATE_RUNNING', 'JOB_STATE_STOPPED', 'JOB_STATE_MIGRATING', 'JOB_STATE_QUEUED'];
const HOME_TIMEOUT_MS = 5000;

export async function requireNoLiveCopy(c: ServiceContext, gpid: string, actor: Actor): Promise<void> {
  const parsed = parseGpid(gpid);
  if (!parsed) throw new InvalidGpidError(gpid);
  const r = c.jobs.get(gpid);
  if (r && LIVE_HERE.includes(r.state)) throw new AlreadyRunningError(gpid, `here on ${c.hostId} (${r.state})`);
  if (r && r.state === 'moved') throw new AlreadyRunningError(gpid, `on ${r.location} (this host moved it there)`);
  if (parsed.home === c.hostId) return; // this host is the home: its own record (above) is the truth
  let info;
  try {
    const via = c.router.forwardVia(undefined, `job ${gpid}`, actor);
    info = await c.router.call(parsed.home, (address, expect) => unary(c.pool.jobs(address, expect), 'show', { gpid, via }, HOME_TIMEOUT_MS));
  } catch (err) {
    if (err instanceof ZincError && err.kind === 'not_found') return;
    if (isServiceError(err) && err.code === grpc.status.NOT_FOUND) return;
    // A dead home must not make an archive unrestorable (that is what archives are for); say so.
    c.log.warn({ gpid, home: parsed.home, err: err instanceof Error ? err.message : String(err) }, 'home host not reachable: cannot confirm the job runs nowhere else; restoring');
    return;
  }
  if (info.state && LIVE_WIRE.includes(info.state)) {
    throw new AlreadyRunningError(gpid, `on ${info.host || '?'} (its home host ${parsed.home} says ${info.state.replace('JOB_STATE_', '').toLowerCase()})`);
  }
}
