/**
 * Keeps every job's home host informed. Whenever a job that was submitted elsewhere changes state
 * here, its latest JobInfo is queued for its home; the queue keeps only the newest report per job
 * and host, and retries until the home answers, so a home that was down catches up when it returns.
 * A job's end also goes to every host it passed through. On the receiving side, `apply` turns
 * reports into forwarding records ("moved", with the remote state).
 */
import type { JobInfo } from '../../proto/generated/zinc/v1/JobInfo.js';
import { errorMessage } from '../common/zinc-error.js';
import { PEER_CALL_TIMEOUT_MS } from '../grpc/constants.js';
import type { JobManager } from '../jobs/manager.js';
import { jobSpecSchema, stateFromWire, toJobInfo, type JobRecord } from '../jobs/record.js';
import { parseGpid } from '../jobs/gpid.js';
import type { Logger } from '../log.js';
import { isTerminal } from '../jobs/state-machine.js';
import { unary, type PeerPool } from '../peers/pool.js';
import type { StateLayout } from '../store/layout.js';
import type { Router } from './router.js';

/** A report on its way: to the job's home (retried until it answers), or, once the job has
 * ended, to a host it passed through (best effort: that host only lists it). */
interface Outgoing {
  gpid: string;
  to: string;
  info: JobInfo;
  home: boolean;
  attempts: number;
}

/** How many rounds a report to a passed-through host is retried before it is dropped. */
const HOP_REPORT_ATTEMPTS = 30;

export class HomeReports {
  private readonly pending = new Map<string, Outgoing>();
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private readonly log: Logger;

  constructor(
    private readonly hostId: string,
    private readonly jobs: JobManager,
    private readonly layout: StateLayout,
    private readonly pool: PeerPool,
    private readonly routerRef: () => Router,
    log: Logger,
  ) {
    this.log = log.child({ area: 'home-reports' });
  }

  start(): void {
    this.jobs.on('changed', (r) => this.enqueue(r));
    for (const r of this.jobs.list(true)) this.enqueue(r);
    this.timer = setInterval(() => void this.flush(), 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Queues the job's newest state for its home. When the job has ended, the hosts it passed
   * through hear it too: each keeps a forwarding record that `zinc ps` lists there, and without
   * this it would list the job as running elsewhere for ever (issue 18, finding 5).
   */
  enqueue(r: JobRecord): void {
    if (r.state === 'moved') return;
    const info = toJobInfo(r, this.layout.filesDir(r.gpid));
    info.events = [];
    const targets = new Set<string>();
    if (r.home !== this.hostId) targets.add(r.home);
    if (isTerminal(r.state)) for (const h of r.hops) if (h !== this.hostId) targets.add(h);
    if (targets.size === 0) return;
    for (const to of targets) this.pending.set(`${r.gpid}@${to}`, { gpid: r.gpid, to, info, home: to === r.home, attempts: 0 });
    setImmediate(() => void this.flush());
  }

  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    let sent = 0;
    try {
      for (const [key, out] of [...this.pending]) {
        if (!parseGpid(out.gpid)) {
          this.pending.delete(key);
          continue;
        }
        try {
          await this.routerRef().call(out.to, (address, expect) => {
            const client = this.pool.jobs(address, expect);
            return unary(client, 'report', { job: out.info, via: { originHost: this.hostId, originDomain: '', hops: 1 } }, PEER_CALL_TIMEOUT_MS);
          });
          if (this.pending.get(key) === out) this.pending.delete(key);
          sent++;
        } catch (err) {
          out.attempts++;
          if (!out.home && out.attempts >= HOP_REPORT_ATTEMPTS) {
            if (this.pending.get(key) === out) this.pending.delete(key);
            this.log.debug({ gpid: out.gpid, host: out.to, err: errorMessage(err) }, 'host the job passed through did not take its end; giving up');
          } else {
            this.log.debug({ gpid: out.gpid, host: out.to, err: errorMessage(err) }, 'host not reachable; will retry');
          }
        }
      }
    } finally {
      this.flushing = false;
    }
    // Reports queued while this round ran go out now rather than on the next tick of the timer;
    // a round that reached no host leaves them to the timer (no busy retry).
    if (sent > 0 && this.pending.size > 0) setImmediate(() => void this.flush());
  }

  /** Home side: record where a job is and what state it is in. */
  async apply(info: JobInfo): Promise<void> {
    const gpid = info.gpid ?? '';
    const state = stateFromWire(info.state);
    if (!parseGpid(gpid) || !state || !info.host) return;
    await this.jobs.withLock(gpid, async () => {
      const r = this.jobs.get(gpid);
      if (r && r.state !== 'moved') return; // the job is live here; the report is stale
      // A host the job only passed through updates the record it keeps, and never makes one.
      if (!r && parseGpid(gpid)?.home !== this.hostId) return;
      if (r && isOlderHop(r, info)) return;
      const spec = jobSpecSchema.safeParse({
        argv: info.spec?.argv ?? ['?'],
        env: info.spec?.env ?? [],
        cwd: info.spec?.cwd || null,
        user: info.spec?.user ?? '',
        uid: 0,
        gid: 0,
        memBytes: Number(info.spec?.memBytes ?? 0),
        checkpointEveryMs: Number(info.spec?.checkpointEveryMs ?? 0),
        keepCheckpoints: info.spec?.keepCheckpoints ?? 0,
      });
      if (!spec.success) return;
      const stub: JobRecord = r ?? {
        format: 1,
        gpid,
        name: info.name ?? '',
        home: this.hostId,
        host: this.hostId,
        location: info.host ?? '',
        state: 'moved',
        spec: spec.data,
        cwd: info.cwd ?? '',
        submittedAt: Number(info.submittedAtMs ?? Date.now()),
        events: [],
        hops: [],
        migrations: 0,
        epoch: 0,
        checkpoints: [],
      };
      const prevLocation = stub.location;
      stub.location = info.host ?? stub.location;
      stub.remoteState = state;
      stub.hops = info.hops ?? stub.hops;
      stub.migrations = info.migrations ?? stub.migrations;
      stub.epoch = Number(info.epoch ?? stub.epoch);
      if (info.startedAtMs) stub.startedAt = Number(info.startedAtMs);
      if (info.endedAtMs) stub.endedAt = Number(info.endedAtMs);
      if (info.exit?.ended) stub.exit = info.exit.signal ? { signal: info.exit.signal } : { code: info.exit.code ?? 0 };
      if (info.usage) stub.usage = { cpuUsec: Number(info.usage.cpuUsec ?? 0), peakRssBytes: Number(info.usage.peakRssBytes ?? 0) };
      if (info.reason) stub.reason = info.reason;
      if (!r || prevLocation !== stub.location) {
        this.jobs.event(stub, 'located', `running on ${stub.location}`, { host: stub.location });
      }
      await this.jobs.put(stub);
    });
  }
}

/**
 * Reports about one job come from every host it passes through, and they can arrive out of order:
 * the source's "migrating" can land after the destination's "running", and a destination's
 * "running" can land after the migration was rolled back. A migration count cannot say the
 * latter (the rollback does not change it), so reports carry a location epoch: +1 when the job
 * arrives on a host, +2 when a migration rolls back, past any arrival the destination reported.
 * A report with a lower epoch describes an older hop. Reports without an epoch (older daemons)
 * fall back to the migration count.
 */
export function isOlderHop(known: Pick<JobRecord, 'migrations' | 'epoch'>, info: Pick<JobInfo, 'migrations' | 'epoch'>): boolean {
  const knownEpoch = known.epoch ?? 0;
  const infoEpoch = Number(info.epoch ?? 0);
  if (knownEpoch > 0 || infoEpoch > 0) return infoEpoch < knownEpoch;
  return (info.migrations ?? 0) < (known.migrations ?? 0);
}
