/**
 * The receiving end of a migration. It accepts (domain rules, pre-flight, capacity), pulls and
 * verifies the archive, and restores only when the source commits. Every phase is persisted so
 * that after a crash it can tell the source the truth: restored (the job runs here) or aborted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { MigrationAccept } from '../../proto/generated/zinc/v1/MigrationAccept.js';
import type { MigrationOffer__Output } from '../../proto/generated/zinc/v1/MigrationOffer.js';
import type { MigrationStatus } from '../../proto/generated/zinc/v1/MigrationStatus.js';
import type { ReceiveReply } from '../../proto/generated/zinc/v1/ReceiveReply.js';
import type { ReceiveRequest__Output } from '../../proto/generated/zinc/v1/ReceiveRequest.js';
import { extractCheckpoint, parseManifest } from '../checkpoint/archive-reader.js';
import type { Manifest } from '../checkpoint/manifest.js';
import { DiskFullError, PreflightError } from '../checkpoint/errors.js';
import type { Restorer } from '../checkpoint/restorer.js';
import type { CheckpointStore } from '../checkpoint/store.js';
import type { CriuResolver } from '../checkpoint/criu-binary.js';
import type { PreparedRestore } from '../jobs/launcher.js';
import type { Failpoints } from '../common/failpoints.js';
import { errorMessage } from '../common/zinc-error.js';
import type { Config } from '../config/schema.js';
import { meminfo } from '../host/probe.js';
import { isSameProcess, processStartTime } from '../host/proc.js';
import type { JobManager } from '../jobs/manager.js';
import { jobRecordSchema, type JobRecord } from '../jobs/record.js';
import type { Logger } from '../log.js';
import type { PeerPool } from '../peers/pool.js';
import { callerFields, describeCaller, type Caller } from '../security/caller.js';
import { InvalidRequestError } from '../services/errors.js';
import { requireTrust } from '../security/domain-trust.js';
import type { StateLayout } from '../store/layout.js';
import { IncomingLimitError, MigrationStateError, OfferDuplicateError, OfferInvalidError, TransferIdleError } from './errors.js';
import { IdleWatch } from './idle.js';
import { DEFAULT_INCOMING_LIMITS, type IncomingLimits } from './limits.js';
import { checkLazyAddress, checkOffer, type KnownHost } from './offer-check.js';
import { LazyRestore } from './lazy.js';
import { checkDestStep, type DestPhase } from './phases.js';
import { MigrationStore, type DestRecord } from './records.js';
import { bytesOf } from './transfer.js';

/** How long an aborted record is kept, so a source that asks later still learns "aborted". */
const ABORTED_KEEP_MS = 10 * 60_000;
/** Phases in which an incoming migration holds resources here (and counts against the limits). */
const ACTIVE_PHASES: readonly DestPhase[] = ['accepted', 'receiving', 'received', 'restoring'];
/** Whoever calls when the caller is not known (recovery, tests): nothing about it is verified. */
const UNKNOWN_CALLER: Caller = { kind: 'anonymous', address: '' };

export interface DestinationDeps {
  hostId: string;
  domain: string;
  config: Config;
  layout: StateLayout;
  jobs: JobManager;
  restorer: Restorer;
  checkpoints: CheckpointStore;
  pool: PeerPool;
  store: MigrationStore;
  isDraining: () => boolean;
  criu: CriuResolver;
  /** zinc-shim: its guard mode ties the lazy-pages daemon's life to zincd's until the restore. */
  shimPath: string;
  failpoints: Failpoints;
  /** The gossip record of a host: an offer's return address must match its source's. */
  known: (host: string) => KnownHost | undefined;
  /** Overrides of DEFAULT_INCOMING_LIMITS (tests). */
  limits?: Partial<IncomingLimits>;
  log: Logger;
}

export class MigrationDestination {
  private readonly records = new Map<string, DestRecord>();
  private readonly lazy = new Map<string, LazyRestore>();
  /** Offers under consideration (pre-flight running): they count against the limits too. */
  private readonly deciding = new Map<string, { gpid: string; from: string }>();
  /** Accepted offers waiting for their Receive; each is dropped when its timer fires. */
  private readonly expiry = new Map<string, NodeJS.Timeout>();
  private readonly log: Logger;
  private readonly limits: IncomingLimits;
  private gc: NodeJS.Timeout | undefined;

  constructor(private readonly d: DestinationDeps) {
    this.log = d.log.child({ area: 'migration-in' });
    this.limits = { ...DEFAULT_INCOMING_LIMITS, ...d.limits };
  }

  // ---- phases -------------------------------------------------------------------------------

  private async step(r: DestRecord, to: DestPhase, detail = '', durable = true): Promise<void> {
    checkDestStep(r.id, r.phase, to);
    this.log.info({ migration: r.id, gpid: r.gpid, from: r.from, phase: to, was: r.phase, detail: detail || undefined }, `migration ${to}`);
    r.phase = to;
    r.detail = detail;
    if (durable) await this.d.store.save(r);
  }

  private require(id: string): DestRecord {
    const r = this.records.get(id);
    if (!r) throw new InvalidRequestError(`no incoming migration ${id} on ${this.d.hostId}`, 'The destination does not know this migration; it was aborted or never offered');
    return r;
  }

  status(id: string): MigrationStatus {
    const r = this.records.get(id);
    return { id, phase: r?.phase ?? 'unknown', detail: r?.detail ?? '' };
  }

  // ---- 1. accept ----------------------------------------------------------------------------

  async offer(req: MigrationOffer__Output, caller: Caller = UNKNOWN_CALLER): Promise<MigrationAccept> {
    try {
      return await this.accept(req, caller);
    } catch (err) {
      this.refused('Offer', err, caller, { migration: String(req.id ?? '').slice(0, 170), gpid: String(req.gpid ?? '').slice(0, 80) });
      throw err;
    }
  }

  /** Every refusal of a peer's request is logged (with who asked), and the daemon carries on. */
  private refused(rpc: string, err: unknown, caller: Caller, fields: Record<string, string>): void {
    const code = err instanceof Error && 'code' in err ? String((err as { code: unknown }).code) : 'INTERNAL';
    this.log.warn({ rpc, code, ...fields, ...callerFields(caller), err: errorMessage(err) }, 'peer request refused');
  }

  private async accept(req: MigrationOffer__Output, caller: Caller): Promise<MigrationAccept> {
    const { d } = this;
    const { preview } = checkOffer(req, { hostId: d.hostId, caller, limits: this.limits, known: d.known });
    requireTrust(d.config, 'migrations-from', req.fromDomain);
    const again = this.records.get(req.id);
    if (again) {
      // A retried offer (the source did not get the answer): same id, same job, same source.
      if (again.gpid === req.gpid && again.from === req.fromHost && again.phase === 'accepted') return { id: req.id, host: d.hostId };
      throw new OfferInvalidError(req.id, req.fromHost, `migration ${req.id} is already known here (${again.phase})`);
    }
    if (d.isDraining()) throw new PreflightError(d.hostId, [`${d.hostId} is draining and takes no jobs`]);
    const existing = d.jobs.get(req.gpid);
    if (existing && existing.state !== 'moved') throw new OfferDuplicateError(req.gpid, d.hostId, `already exists (${existing.state})`);
    // Checked and reserved in one synchronous step: offers that arrive together would otherwise
    // all pass the count while the first of them awaits its pre-flight.
    const active = [...[...this.records.values()].filter((r) => ACTIVE_PHASES.includes(r.phase)), ...this.deciding.values()];
    if (active.some((r) => r.gpid === req.gpid)) throw new OfferDuplicateError(req.gpid, d.hostId, 'is already being received');
    const fromThere = active.filter((r) => r.from === req.fromHost).length;
    if (fromThere >= this.limits.maxActivePerHost) throw new IncomingLimitError(d.hostId, req.fromHost, fromThere, this.limits.maxActivePerHost, true);
    if (active.length >= this.limits.maxActive) throw new IncomingLimitError(d.hostId, req.fromHost, active.length, this.limits.maxActive, false);
    this.deciding.set(req.id, { gpid: req.gpid, from: req.fromHost });
    try {
      return await this.decide(req, preview);
    } finally {
      this.deciding.delete(req.id);
    }
  }

  /** Pre-flight, memory and disk; then the offer is accepted and persisted. */
  private async decide(req: MigrationOffer__Output, preview: Manifest): Promise<MigrationAccept> {
    const { d } = this;
    const problems = await d.restorer.preflight(preview);
    const mem = meminfo();
    if (preview.spec.memBytes > 0 && mem.available < preview.spec.memBytes) {
      problems.push(`only ${Math.round(mem.available / 1048576)} MiB of memory available, the job needs ${Math.round(preview.spec.memBytes / 1048576)} MiB`);
    }
    const fs = await statfs(d.layout.root);
    const free = Number(fs.bavail) * Number(fs.bsize);
    const need = Number(req.estimatedBytes ?? 0) * 1.2 + 64 * 1048576;
    if (free < need) throw new DiskFullError(d.layout.root, Math.round(need), free);
    if (problems.length) throw new PreflightError(d.hostId, problems);
    const r: DestRecord = {
      role: 'destination',
      id: req.id,
      gpid: req.gpid,
      from: req.fromHost,
      fromAddress: req.fromAddress,
      fromDomain: req.fromDomain,
      lazy: req.lazy,
      phase: 'accepted',
      startedAt: Date.now(),
      ckptDir: d.store.imagesDir(req.id, req.lazy, d.hostId),
      detail: '',
    };
    this.records.set(r.id, r);
    await d.store.save(r);
    this.expireLater(r);
    // Connect back to the source now, so the archive's first byte does not wait for a handshake.
    d.pool.warm(r.fromAddress, { host: r.from, domain: r.fromDomain });
    this.log.info({ migration: r.id, gpid: r.gpid, from: r.from, lazy: r.lazy }, 'migration accepted');
    return { id: r.id, host: d.hostId };
  }

  /**
   * An accepted offer holds a record, a directory and a slot of the limits: the source sends
   * Receive right after the accept, so one that has not come within the TTL never will.
   */
  private expireLater(r: DestRecord): void {
    const t = setTimeout(() => {
      this.expiry.delete(r.id);
      if (this.records.get(r.id) !== r || r.phase !== 'accepted') return;
      this.records.delete(r.id);
      this.log.warn({ migration: r.id, gpid: r.gpid, from: r.from, ttlMs: this.limits.offerTtlMs }, 'accepted offer expired: no Receive came; dropped');
      this.d.store.remove(r).catch((err: unknown) => this.log.error({ migration: r.id, err: errorMessage(err) }, 'could not remove an expired offer'));
    }, this.limits.offerTtlMs);
    t.unref();
    this.expiry.set(r.id, t);
  }

  private unexpire(id: string): void {
    const t = this.expiry.get(id);
    if (t) clearTimeout(t);
    this.expiry.delete(id);
  }

  // ---- 2. receive, verify, and restore on commit ---------------------------------------------

  /** The Receive's own fields: bounded, for the same job, and a page server on the source's host. */
  private checkReceive(r: DestRecord, req: ReceiveRequest__Output): JobRecord {
    if (req.job.length > this.limits.maxJobRecordBytes) throw new OfferInvalidError(r.id, r.from, `its job record is ${req.job.length} bytes (limit ${this.limits.maxJobRecordBytes})`);
    // Post-copy: criu lazy-pages connects to this address, so it must be on the source's host.
    if (!checkLazyAddress(req.lazyAddress, r.fromAddress)) throw new OfferInvalidError(r.id, r.from, `its page server ${req.lazyAddress} is not on ${r.fromAddress}'s host`);
    let incoming: JobRecord;
    try {
      incoming = jobRecordSchema.parse(JSON.parse(Buffer.from(req.job).toString('utf8')));
    } catch (err) {
      throw new OfferInvalidError(r.id, r.from, `its job record: ${errorMessage(err).slice(0, 200)}`);
    }
    if (incoming.gpid !== r.gpid) throw new OfferInvalidError(r.id, r.from, `its job record is for ${incoming.gpid}, not ${r.gpid}`);
    return incoming;
  }

  /**
   * Pull the archive from the source and verify every file as it arrives. The source ends the
   * stream with status OK only after it has recorded the commit; only then is the job restored.
   */
  async receive(req: ReceiveRequest__Output, caller: Caller = UNKNOWN_CALLER): Promise<ReceiveReply> {
    const r = this.require(req.id);
    const existing = this.d.jobs.get(r.gpid);
    let incoming: JobRecord;
    try {
      // Only the host that made the offer may start its transfer.
      this.requireSource(r, caller);
      if (r.phase === 'running' && existing) return { id: r.id, bytes: 0, transferMs: 0, restoreMs: 0, pid: existing.jobPid ?? 0 };
      if (r.phase !== 'accepted') throw new MigrationStateError(r.id, r.phase, 'receive it');
      incoming = this.checkReceive(r, req);
    } catch (err) {
      this.refused('Receive', err, caller, { migration: r.id, gpid: r.gpid });
      throw err;
    }
    this.unexpire(r.id);
    // Kept with the record: a restart can then finish the arrival even without job.json.
    r.job = Buffer.from(req.job).toString('utf8');
    r.lazyAddress = req.lazyAddress;
    await this.step(r, 'receiving');
    // Start the restore's supervisor now (it waits for the commit): outside the job's downtime.
    const prepared = await this.d.restorer.prepare(r.gpid, r.ckptDir, r.lazy);
    let bytes = 0;
    let firstByte = 0;
    let transferMs = 0;
    let manifest;
    let idle: TransferIdleError | undefined;
    let watch: IdleWatch | undefined;
    try {
      // Bound to the source's identity: the archive comes only from the host that offered it.
      const stream = this.d.pool.migrationPeer(r.fromAddress, { host: r.from, domain: r.fromDomain }).fetch({ id: r.id });
      // A source that goes silent (before the first byte, mid-archive, or before the commit)
      // would otherwise hold the supervisor and the half-written images here for ever.
      watch = new IdleWatch(this.limits.firstByteTimeoutMs, this.limits.idleTimeoutMs, (ms, beforeFirst) => {
        idle = new TransferIdleError(r.id, r.from, ms, beforeFirst ? 'before the first byte of the archive' : 'in the middle of the archive');
        this.log.warn({ migration: r.id, gpid: r.gpid, from: r.from, waitedMs: ms }, 'source went silent; dropping the transfer');
        stream.cancel();
      });
      stream.on('data', () => watch?.touch());
      // The commit: the source's final status. Anything but OK means it did not commit.
      const committed = new Promise<void>((resolve, reject) => {
        stream.on('status', (st: grpc.StatusObject) => (st.code === grpc.status.OK ? resolve() : reject(new Error(`the source did not commit: ${st.details}`))));
        stream.on('error', reject);
      });
      committed.catch(() => undefined);
      ({ manifest } = await extractCheckpoint(bytesOf(stream), {
        source: `migration ${r.id} from ${r.from}`,
        onManifest: async (m) => {
          firstByte = performance.now();
          if (m.gpid !== r.gpid) throw new InvalidRequestError(`the archive is for ${m.gpid}, not ${r.gpid}`);
          await rm(r.ckptDir, { recursive: true, force: true });
          return r.ckptDir;
        },
        onProgress: (n) => (bytes = n),
      }));
      const tData = Date.now();
      await committed;
      this.log.debug({ migration: r.id, dataAt: tData, statusAt: Date.now() }, 'archive complete');
      transferMs = performance.now() - firstByte;
    } catch (err) {
      prepared.cancel();
      const why = idle ?? err;
      await this.abortRecord(r, `transfer failed: ${errorMessage(why)}`);
      throw why;
    } finally {
      watch?.stop();
    }
    const t0 = performance.now();
    const tCommitted = Date.now();
    await this.restore(r, incoming, manifest, req.lazyAddress, prepared);
    await this.d.failpoints.hit('receive.before-ack');
    this.log.debug({ migration: r.id, firstByteAt: Math.round(performance.timeOrigin + firstByte), committedAt: tCommitted, restoredAt: Date.now() }, 'receive timeline');
    const job = this.d.jobs.get(r.gpid);
    return { id: r.id, bytes, transferMs, restoreMs: performance.now() - t0, pid: job?.jobPid ?? 0 };
  }

  private async restore(r: DestRecord, incoming: JobRecord, manifest: Manifest, lazyAddress: string, prepared?: PreparedRestore): Promise<void> {
    // Not written to disk here (it is inside the job's downtime): recovery treats "receiving" like
    // "restoring" and asks the supervisor's marker whether the job came up.
    await this.step(r, 'restoring', `${manifest.totalBytes} bytes verified; committed by the source`, false);
    // Post-copy: the lazy-pages daemon first. Its start-up (~10 ms) is the longest step before
    // the restore can begin, and the rest of the preparation below runs meanwhile; it must listen
    // before criu restore connects. (Starting it earlier, during the transfer, measured slower:
    // it competes with the transfer for the CPU.)
    const lazy = r.lazy ? new LazyRestore(r.ckptDir, this.d.layout.ctlDir(r.gpid), lazyAddress, this.d.shimPath, this.log) : undefined;
    const lazyReady = lazy ? this.d.criu.get().then((c) => lazy.start(c)) : undefined;
    lazyReady?.catch(() => undefined);
    try {
      await this.d.jobs.withLock(r.gpid, async () => {
        const stub = this.d.jobs.get(r.gpid);
        if (stub && stub.state !== 'moved') throw new PreflightError(this.d.hostId, [`job ${r.gpid} already exists here (${stub.state})`]);
        if (stub) {
          r.previousStub = JSON.stringify(stub);
          await this.d.store.save(r);
        }
        const rec = this.arrival(incoming);
        await this.d.jobs.put(rec, false);
        await this.d.restorer.restoreLocked(
          rec,
          r.ckptDir,
          manifest,
          { type: 'migrated', message: `migrated from ${r.from} to ${this.d.hostId}${r.lazy ? ' (post-copy)' : ''}`, fields: { from: r.from, migration: r.id } },
          // Once the restore starts, the restored job's memory arrives only through lazy-pages:
          // from then on it must finish even if zincd dies (killing it would zero the pages).
          { lazy: r.lazy, beforeLaunch: lazyReady ? () => lazyReady.then(() => lazy?.keep()) : undefined, moveFiles: true, prepared },
        );
        await this.d.failpoints.hit('receive.restored');
      });
    } catch (err) {
      lazy?.stop();
      prepared?.cancel();
      await this.undoArrival(r);
      await this.abortRecord(r, `restore failed: ${errorMessage(err)}`);
      throw err;
    }
    if (lazy) this.lazy.set(r.id, lazy);
    await this.step(r, 'running');
  }

  /** The job's record as it arrives here: same GPID, events and hops, new host. */
  private arrival(incoming: JobRecord): JobRecord {
    const rec: JobRecord = {
      ...incoming,
      host: this.d.hostId,
      location: this.d.hostId,
      state: 'migrating',
      hops: incoming.hops.at(-1) === this.d.hostId ? incoming.hops : [...incoming.hops, this.d.hostId],
      migrations: incoming.migrations + 1,
      epoch: incoming.epoch + 1,
      checkpoints: [],
      remoteState: undefined,
    };
    delete rec.shimPid;
    delete rec.shimStart;
    delete rec.jobPid;
    delete rec.remoteState;
    return rec;
  }

  /** Remove what a failed arrival left and put back the forwarding record this host had. */
  private async undoArrival(r: DestRecord): Promise<void> {
    const cg = this.d.jobs.cgroupOf(r.gpid);
    if (!cg.isEmpty()) await cg.kill('SIGKILL');
    await cg.waitEmpty(5000);
    cg.remove();
    await this.d.jobs.remove(r.gpid);
    if (r.previousStub) await this.d.jobs.put(jobRecordSchema.parse(JSON.parse(r.previousStub)));
  }

  // ---- abort / finish -----------------------------------------------------------------------

  /** A verified peer may only act on migrations that come from it. */
  private requireSource(r: DestRecord, caller: Caller): void {
    if (caller.kind !== 'peer' || caller.host === r.from) return;
    throw new OfferInvalidError(r.id, describeCaller(caller), `migration ${r.id} comes from ${r.from}`);
  }

  /** requireSource for Abort and Finish, with the refusal logged. */
  private requireSourceLogged(r: DestRecord, caller: Caller, rpc: string): void {
    try {
      this.requireSource(r, caller);
    } catch (err) {
      this.refused(rpc, err, caller, { migration: r.id, gpid: r.gpid });
      throw err;
    }
  }

  async abort(id: string, reason: string, caller: Caller = UNKNOWN_CALLER): Promise<void> {
    const r = this.records.get(id);
    if (!r || r.phase === 'aborted' || r.phase === 'finished') return;
    this.requireSourceLogged(r, caller, 'Abort');
    if (r.phase === 'running' || r.phase === 'restoring' || r.phase === 'received') throw new MigrationStateError(id, r.phase, 'abort it (the source committed; the job runs or is about to run here)');
    if (r.phase === 'accepted') {
      // Nothing was transferred, and the source that aborts will not ask again: keep nothing, so
      // that offer-then-abort cycles leave no records behind.
      this.unexpire(id);
      this.records.delete(id);
      this.log.info({ migration: id, gpid: r.gpid, from: r.from, reason }, 'accepted offer aborted by the source; dropped');
      await this.d.store.remove(r);
      return;
    }
    await this.abortRecord(r, reason);
  }

  private async abortRecord(r: DestRecord, reason: string): Promise<void> {
    if (r.phase === 'aborted') return;
    await rm(r.ckptDir, { recursive: true, force: true });
    await this.step(r, 'aborted', reason);
  }

  async finish(id: string, caller: Caller = UNKNOWN_CALLER): Promise<void> {
    const r = this.records.get(id);
    if (!r) return;
    this.requireSourceLogged(r, caller, 'Finish');
    if (r.phase !== 'running') throw new MigrationStateError(id, r.phase, 'finish it');
    const lazy = this.lazy.get(id);
    if (lazy) await lazy.done();
    this.lazy.delete(id);
    await this.step(r, 'finished');
    this.records.delete(id);
    await this.d.store.remove(r);
  }

  /** Post-copy: resolves when the last page has arrived here. */
  async lazyDone(id: string): Promise<void> {
    await this.lazy.get(id)?.done();
  }

  // ---- start-up -----------------------------------------------------------------------------

  /** Finish or roll back what a previous run of this daemon left half done. */
  async recover(records: DestRecord[]): Promise<void> {
    for (const r of records) {
      this.records.set(r.id, r);
      try {
        await this.recoverOne(r);
      } catch (err) {
        this.log.error({ migration: r.id, err: errorMessage(err) }, 'recovering an incoming migration failed');
      }
    }
    this.gc = setInterval(() => void this.collect(), 60_000);
    this.gc.unref();
  }

  private async recoverOne(r: DestRecord): Promise<void> {
    switch (r.phase) {
      case 'accepted':
        await this.abortRecord(r, 'zincd restarted before the transfer began');
        return;
      case 'receiving':
      case 'restoring': {
        // The supervisor outlives zincd: did a restore start, and did it go through?
        const marker = join(this.d.layout.ctlDir(r.gpid), 'running');
        let rec = this.d.jobs.get(r.gpid);
        if (!rec && r.job && existsSync(marker)) {
          rec = this.arrival(jobRecordSchema.parse(JSON.parse(r.job)));
          await this.d.jobs.put(rec);
        }
        const [shim, job] = existsSync(marker) ? readFileSync(marker, 'utf8').trim().split(' ').map(Number) : [0, 0];
        if (rec && shim && job && processStartTime(shim) !== undefined && isSameProcess(job, processStartTime(job))) {
          await this.d.jobs.withLock(r.gpid, () =>
            this.d.jobs.adopt(rec, { shimPid: shim, jobPid: job }, 'migrated', `migrated from ${r.from} to ${this.d.hostId} (confirmed after a restart)`, { from: r.from }),
          );
          if (r.phase === 'receiving') r.phase = 'restoring';
          await this.step(r, 'running', 'restore completed while zincd was down');
        } else {
          if (this.d.jobs.get(r.gpid)?.state === 'migrating' || r.phase === 'restoring') await this.undoArrival(r);
          await this.abortRecord(r, 'zincd restarted before the job was restored here');
        }
        return;
      }
      case 'received': {
        // The source committed and we had the whole verified archive: finish the job's arrival.
        const manifest = parseManifest(readFileSync(join(r.ckptDir, 'manifest.json'), 'utf8'), r.ckptDir);
        await this.restore(r, jobRecordSchema.parse(JSON.parse(r.job ?? '{}')), manifest, r.lazyAddress ?? '');
        return;
      }
      case 'finished':
        this.records.delete(r.id);
        await this.d.store.remove(r);
        return;
      default:
        return; // running: the job manager re-adopted the job; aborted: kept a while for the source
    }
  }

  private async collect(): Promise<void> {
    const now = Date.now();
    for (const r of [...this.records.values()]) {
      const age = now - r.startedAt;
      if (r.phase === 'aborted' && age > ABORTED_KEEP_MS) {
        this.records.delete(r.id);
        await this.d.store.remove(r);
      }
    }
  }

  stop(): void {
    if (this.gc) clearInterval(this.gc);
    for (const t of this.expiry.values()) clearTimeout(t);
    this.expiry.clear();
    for (const l of this.lazy.values()) l.stop();
  }
}
