/**
 * The Jobs service: submit, list, show, control, wait and logs, for the CLI (local socket) and
 * for other daemons (forwarded requests). Requests about a job that is not here are forwarded to
 * the host that has it, so every command works from the job's home and from any host it passed.
 */
import type * as grpc from '@grpc/grpc-js';
import { zincV1 } from '../../proto/loader.js';
import type { ControlRequest__Output } from '../../proto/generated/zinc/v1/ControlRequest.js';
import type { JobInfo } from '../../proto/generated/zinc/v1/JobInfo.js';
import type { JobRef__Output } from '../../proto/generated/zinc/v1/JobRef.js';
import type { JobReport__Output } from '../../proto/generated/zinc/v1/JobReport.js';
import type { JobsHandlers } from '../../proto/generated/zinc/v1/Jobs.js';
import type { ListReply } from '../../proto/generated/zinc/v1/ListReply.js';
import type { ListRequest__Output } from '../../proto/generated/zinc/v1/ListRequest.js';
import type { SubmitReply } from '../../proto/generated/zinc/v1/SubmitReply.js';
import type { SubmitRequest__Output } from '../../proto/generated/zinc/v1/SubmitRequest.js';
import { PEER_CALL_TIMEOUT_MS, SUBMIT_CALL_TIMEOUT_MS } from '../grpc/constants.js';
import { unaryHandler } from '../grpc/handlers.js';
import { IllegalTransitionError } from '../jobs/errors.js';
import { formatGpid } from '../jobs/gpid.js';
import type { JobRecord } from '../jobs/record.js';
import { toJobInfo } from '../jobs/record.js';
import { parseSignal } from '../jobs/signals.js';
import { unary } from '../peers/pool.js';
import type { ServiceContext } from './context.js';
import { HostUnreachableError, InvalidRequestError } from './errors.js';
import { requireTrust, trusts } from '../security/domain-trust.js';
import { streamLogs } from './logs.js';
import { checkSpec, prepareLocal, type CheckedSpec } from './submit-prep.js';
import type { PlacementDecision } from '../../proto/generated/zinc/v1/PlacementDecision.js';
import { summarizeRejections, toWire } from '../placement/engine.js';
import { HostDrainingError, NoEligibleHostError } from '../placement/errors.js';
import { RemoteError } from '../grpc/status.js';
import { PeerIdentityError } from '../security/errors.js';
import { ZincError } from '../common/zinc-error.js';
import type { Logger } from '../log.js';
import { callerFields, type CallIdentity } from '../security/caller.js';
import { checkReport } from './report-check.js';
import type { Actor } from '../security/authz.js';
import type { Via } from '../../proto/generated/zinc/v1/Via.js';

/** How many draining hosts one submit may meet before it gives up (each is excluded in turn). */
const MAX_DRAIN_RETRIES = 3;

export class JobsService {
  constructor(private readonly c: ServiceContext) {}

  addToServer(server: grpc.Server): void {
    const log = this.c.log.child({ area: 'jobs-service' });
    const handlers: JobsHandlers = {
      Submit: unaryHandler(log, 'Submit', async (req: SubmitRequest__Output, call) => this.submit(req, await this.c.auth.actor(call, req.via))),
      List: unaryHandler(log, 'List', async (req: ListRequest__Output, call) => this.list(req, await this.viewer(call, req.via))),
      Show: unaryHandler(log, 'Show', async (req: JobRef__Output, call) => this.show(req, await this.viewer(call, req.via))),
      Control: unaryHandler(log, 'Control', async (req: ControlRequest__Output, call) => this.control(req, await this.c.auth.actor(call, req.via))),
      Wait: unaryHandler(log, 'Wait', (req: JobRef__Output, call) => this.wait(req, call)),
      Logs: (call) => streamLogs(this.c, call),
      Report: unaryHandler(log, 'Report', async (req: JobReport__Output, call) => {
        if (req.job) await this.c.reports.apply(this.checkedReport(req.job, call, log));
        return {};
      }),
    };
    server.addService(zincV1().Jobs.service, handlers);
  }

  /** A peer's report, once it is known to be about a job this host issued (see report-check.ts). */
  private checkedReport(job: JobInfo, call: CallIdentity, log: Logger): JobInfo {
    const caller = this.c.auth.requireDaemon(call, 'report a job\'s state');
    try {
      return checkReport(job, { hostId: this.c.hostId, issuedSeq: this.c.identity.issuedSeq, caller, forwards: (g) => this.c.jobs.get(g)?.state === 'moved' });
    } catch (err) {
      if (err instanceof ZincError) log.warn({ rpc: 'Report', code: err.code, gpid: String(job.gpid ?? '').slice(0, 80), ...callerFields(caller), err: err.message }, 'peer report refused');
      throw err;
    }
  }

  info(r: JobRecord): JobInfo {
    return toJobInfo(r, this.c.layout.filesDir(r.gpid));
  }

  /** What a viewer may see of a job: everything for its owner and root; others do not see its
   * environment (it often holds credentials). */
  private infoFor(r: JobRecord, viewer: Actor | undefined): JobInfo {
    const info = this.info(r);
    if (viewer && this.c.auth.isOwner(viewer, r)) return info;
    return { ...info, spec: info.spec && { ...info.spec, env: [] } };
  }

  /** The viewer of a read-only request; a daemon asking for itself (no user) sees what others see. */
  private async viewer(call: CallIdentity, via: Via | null | undefined): Promise<Actor | undefined> {
    const caller = this.c.auth.caller(call);
    if (caller.kind !== 'local' && !via?.user) return undefined;
    return this.c.auth.actor(call, via);
  }

  async submit(req: SubmitRequest__Output, actor: Actor): Promise<SubmitReply> {
    const { c } = this;
    const user = c.auth.runAs(actor, req.spec?.user ?? '');
    const spec = checkSpec(req.spec ? { ...req.spec, user, domain: req.spec.domain || req.domain } : req.spec);
    // The domain a request comes from is the verified one, never what the message says.
    const originDomain = actor.domain;
    requireTrust(c.config, 'jobs-from', originDomain);

    // No --host: the active policy chooses (only on the entry host; a forwarded job is placed).
    if (!req.host && !req.gpid) return this.placeAndSubmit(req, spec, actor);
    const target = req.host || c.hostId;
    if (target === c.hostId) return this.startHere(req, spec, req.placement ?? undefined);
    const reserved = req.gpid ? undefined : c.placement.notePlaced(target, { memBytes: spec.memBytes, domain: spec.domain, entryHost: c.hostId });
    try {
      return await this.forwardSubmit(req, spec, target, req.gpid || formatGpid(c.hostId, await c.identity.nextSeq()), req.placement ?? undefined, actor);
    } catch (err) {
      if (reserved) c.placement.forgetPlaced(reserved);
      throw err;
    }
  }

  /**
   * Let the policy choose, then start the job there. A host may start draining after this host's
   * view of it was gossiped: it refuses the job (HOST_DRAINING), and the policy chooses again
   * without it, so a drain never loses or misplaces a submit.
   */
  private async placeAndSubmit(req: SubmitRequest__Output, spec: CheckedSpec, actor: Actor): Promise<SubmitReply> {
    const { c } = this;
    const refused = new Set<string>();
    let gpid = '';
    for (;;) {
      // Hosts of domains this host may not send jobs to are not candidates (sendJobsTo).
      const hosts = c.discovery.views().filter((v) => trusts(c.config, 'send-to', v.record.domain));
      const d = c.placement.decide({ memBytes: spec.memBytes, domain: spec.domain, entryHost: c.hostId }, hosts, {
        exclude: refused,
        excludeReason: 'refused the job (draining, or its certificate did not prove its identity)',
      });
      if (!d.chosen) throw new NoEligibleHostError(summarizeRejections(d));
      const placement = toWire(d, { maxCandidates: 50 });
      try {
        if (d.chosen === c.hostId) return await this.startHere({ ...req, gpid }, spec, placement);
        gpid ||= formatGpid(c.hostId, await c.identity.nextSeq());
        return await this.forwardSubmit(req, spec, d.chosen, gpid, placement, actor);
      } catch (err) {
        if (d.pending) c.placement.forgetPlaced(d.pending);
        // A host whose certificate does not prove the identity gossip claims for it (a forged
        // record) got nothing: the handshake failed before the job was sent. Choose again.
        const impostor = err instanceof PeerIdentityError;
        if (!(impostor || err instanceof HostDrainingError || (err instanceof RemoteError && err.code === 'HOST_DRAINING'))) throw err;
        if (refused.size >= MAX_DRAIN_RETRIES) throw err;
        if (impostor) c.log.warn({ host: d.chosen, address: err.address, gpid, reason: err.detail, refused: refused.size + 1 }, 'placed host did not prove its identity; choosing again without it');
        else c.log.info({ host: d.chosen, gpid, refused: refused.size + 1 }, 'placed host is draining; choosing again without it');
        refused.add(d.chosen);
      }
    }
  }

  /** Hand a submit to `target`'s daemon under a GPID this host chose. */
  private async forwardSubmit(req: SubmitRequest__Output, spec: CheckedSpec, target: string, gpid: string, placement: PlacementDecision | undefined, actor: Actor): Promise<SubmitReply> {
    const { c } = this;
    const address = c.router.address(target);
    const targetDomain = c.router.domainOf(target);
    if (targetDomain) requireTrust(c.config, 'send-to', targetDomain);
    const via = c.router.forwardVia(req.via, `job ${gpid}`, actor);
    try {
      const reply = await c.router.call(target, (_address, expect) => {
        const client = c.pool.jobs(address, expect);
        return unary(client, 'submit', { spec: { ...req.spec, user: spec.user, domain: spec.domain }, host: target, gpid, via, domain: req.domain, placement }, SUBMIT_CALL_TIMEOUT_MS);
      });
      return { gpid: reply.gpid, host: reply.host };
    } catch (err) {
      // No answer does not mean it did not start: ask for the GPID before reporting a failure
      // (a retry would otherwise run the job twice).
      if (!(err instanceof HostUnreachableError)) throw err;
      const found = await c.router
        .call(target, (a, expect) => unary(c.pool.jobs(a, expect), 'show', { gpid, via }, PEER_CALL_TIMEOUT_MS))
        .catch(() => undefined);
      if (found?.gpid === gpid) return { gpid, host: target };
      throw err;
    }
  }

  /** Start the job on this host (a local submit, or one another daemon forwarded here). */
  private async startHere(req: SubmitRequest__Output, spec: CheckedSpec, placement: PlacementDecision | undefined): Promise<SubmitReply> {
    const { c } = this;
    const gpid = req.gpid || '';
    // A forwarded submit arrives with its GPID: if it is already here, this is a retry.
    const existing = gpid ? c.jobs.get(gpid) : undefined;
    if (existing && existing.state !== 'moved') return { gpid, host: c.hostId };
    // Checked here, not only by the entry's filter: the entry's view of this host may predate the drain.
    if (c.discovery.self().draining) throw new HostDrainingError(c.hostId);
    const local = await prepareLocal(spec, c.hostId, c.layout.workDir(gpid || 'pending'));
    const finalGpid = gpid || formatGpid(c.hostId, await c.identity.nextSeq());
    const home = finalGpid.slice(0, finalGpid.lastIndexOf('.'));
    const record = await c.jobs.submit({
      gpid: finalGpid,
      home,
      name: spec.name,
      spec: local.spec,
      cwd: spec.cwd ?? c.layout.workDir(finalGpid),
      userHome: local.userHome,
      placement: placement ? (placement as Record<string, unknown>) : undefined,
    });
    return { gpid: record.gpid, host: c.hostId };
  }

  async list(req: ListRequest__Output, viewer: Actor | undefined): Promise<ListReply> {
    const { c } = this;
    if (req.host && req.host !== c.hostId) {
      const via = c.router.forwardVia(req.via, `host ${req.host}`, viewer);
      return c.router.call(req.host, (address, expect) => {
        const client = c.pool.jobs(address, expect);
        return unary(client, 'list', { all: req.all, host: req.host, via }, PEER_CALL_TIMEOUT_MS);
      });
    }
    const jobs = c.jobs.list(true).filter((r) => req.all || !isEnded(r));
    return { host: c.hostId, jobs: jobs.map((r) => ({ ...this.infoFor(r, viewer), events: [] })) };
  }

  async show(req: JobRef__Output, viewer: Actor | undefined): Promise<JobInfo> {
    const { c } = this;
    const route = c.router.route(req.gpid);
    if (route.kind === 'local') return this.infoFor(route.record, viewer);
    const via = c.router.forwardVia(req.via, `job ${req.gpid}`, viewer);
    try {
      return await c.router.call(route.host, (address, expect) => {
        const client = c.pool.jobs(address, expect);
        return unary(client, 'show', { gpid: req.gpid, via }, PEER_CALL_TIMEOUT_MS);
      });
    } catch (err) {
      // The home's forwarding record still says what was last known; better than nothing.
      if (route.stub) {
        const info = this.infoFor(route.stub, viewer);
        info.reason = `${route.host} did not answer (${(err as Error).message}); showing the last known state`;
        return info;
      }
      throw err;
    }
  }

  async control(req: ControlRequest__Output, actor: Actor): Promise<JobInfo> {
    const { c } = this;
    for (let hop = 0; ; hop++) {
      const route = c.router.route(req.gpid);
      if (route.kind === 'remote') {
        const via = c.router.forwardVia(req.via, `job ${req.gpid}`, actor);
        return c.router.call(route.host, (address, expect) => {
          const client = c.pool.jobs(address, expect);
          return unary(client, 'control', { ...req, via }, PEER_CALL_TIMEOUT_MS);
        });
      }
      c.auth.requireOwner(actor, route.record, controlVerb(req.action));
      try {
        return await this.controlHere(req);
      } catch (err) {
        // The job left this host while the action waited for its lock (a migration finishing):
        // follow it to where it runs now, as the next route does.
        if (hop < 3 && err instanceof IllegalTransitionError && err.from === 'moved') continue;
        throw err;
      }
    }
  }

  private async controlHere(req: ControlRequest__Output): Promise<JobInfo> {
    const { c } = this;
    switch (req.action) {
      case 'CONTROL_ACTION_STOP':
        return this.info(await c.jobs.stopJob(req.gpid));
      case 'CONTROL_ACTION_CONT':
        return this.info(await c.jobs.contJob(req.gpid));
      case 'CONTROL_ACTION_KILL': {
        const signal = req.signal ? parseSignal(req.signal) : 'SIGKILL';
        if (!signal) throw new InvalidRequestError(`unknown signal "${req.signal}"`, 'Use a name like TERM or SIGINT, or a number like 15');
        return this.info(await c.jobs.killJob(req.gpid, signal));
      }
      default:
        throw new InvalidRequestError(`unknown control action ${String(req.action)}`);
    }
  }

  /** Waits across hosts: if the job moves while we wait, follow it. */
  async wait(req: JobRef__Output, call: grpc.ServerUnaryCall<JobRef__Output, JobInfo>): Promise<JobInfo> {
    const { c } = this;
    for (let attempt = 0; attempt < 64 && !call.cancelled; attempt++) {
      const route = c.router.route(req.gpid);
      if (route.kind === 'local') {
        const r = await c.jobs.waitFor(req.gpid);
        if (r.state !== 'moved') return this.info(r);
        continue;
      }
      const via = c.router.forwardVia(req.via, `job ${req.gpid}`);
      const info = await c.router.call(route.host, (address, expect) => {
        const client = c.pool.jobs(address, expect);
        return unary(client, 'wait', { gpid: req.gpid, via }, undefined);
      });
      if (info.state !== 'JOB_STATE_MOVED' && info.state !== 'JOB_STATE_MIGRATING') return info;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new InvalidRequestError(`lost track of job ${req.gpid} while waiting`, 'Run `zinc wait` again');
  }
}

function controlVerb(action: ControlRequest__Output['action']): string {
  return action === 'CONTROL_ACTION_STOP' ? 'stop' : action === 'CONTROL_ACTION_CONT' ? 'continue' : 'kill';
}

function isEnded(r: JobRecord): boolean {
  const s = r.state === 'moved' ? r.remoteState : r.state;
  return s === 'exited' || s === 'killed' || s === 'failed';
}
