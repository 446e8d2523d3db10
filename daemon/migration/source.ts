/**
 * The sending end of a migration, which drives it:
 *   1. offer        the destination accepts (domain rules, pre-flight, capacity) — nothing frozen yet
 *   2. freeze+dump  into migrations/<id>/ckpt; the original stays frozen: that is the fallback
 *   3. transfer     the destination pulls the archive and verifies every sha256
 *   4. commit       the destination restores and reports running
 *   5. clean up     the frozen original is killed, the job's files removed, a forwarding record kept
 * Any failure before the commit thaws the original (or restores it from the same images when the
 * original is gone). After the commit the outcome is the destination's: if it cannot be reached
 * the original stays frozen — never two live copies — until the destination answers.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { MigrationSummary } from '../../proto/generated/zinc/v1/MigrationSummary.js';
import type { Checkpointer } from '../checkpoint/checkpointer.js';
import type { Manifest } from '../checkpoint/manifest.js';
import type { Restorer } from '../checkpoint/restorer.js';
import { errorMessage, ZincError } from '../common/zinc-error.js';
import { PEER_CALL_TIMEOUT_MS } from '../grpc/constants.js';
import { fromServiceError, isServiceError } from '../grpc/status.js';
import { IllegalTransitionError } from '../jobs/errors.js';
import type { JobManager } from '../jobs/manager.js';
import type { JobRecord } from '../jobs/record.js';
import type { Logger } from '../log.js';
import { unary, type PeerPool } from '../peers/pool.js';
import type { Router } from '../services/router.js';
import { InvalidRequestError } from '../services/errors.js';
import { LazyUnavailableError, MigrationFailedError, MigrationRefusedError } from './errors.js';
import { checkSourceStep, SOURCE_BEFORE_COMMIT, type SourcePhase } from './phases.js';
import { MigrationStore, type SourceRecord } from './records.js';
import type { LazyDumper, LazySource } from './lazy-source.js';
import type { Failpoints } from '../common/failpoints.js';
import { FETCH_STALL_TIMEOUT_MS } from './limits.js';
import { Outlet } from './outlet.js';

export interface Progress {
  phase: string;
  bytes?: number;
  total?: number;
  message?: string;
}

export interface MigrateOptions {
  to: string;
  lazy: 'off' | 'on' | 'auto';
  reason: string;
  onProgress: (p: Progress) => void;
}

export interface SourceDeps {
  hostId: string;
  domain: string;
  jobs: JobManager;
  checkpointer: Checkpointer;
  restorer: Restorer;
  router: Router;
  pool: PeerPool;
  store: MigrationStore;
  lazy: LazyDumper;
  failpoints: Failpoints;
  log: Logger;
}

/** How often an unreachable destination is asked again what became of a committed migration. */
const RESOLVE_RETRY_MS = 1000;

export class MigrationSource {
  private readonly outlets = new Map<string, Outlet>();
  /** The migrations whose archive is being served, to check who fetches it. */
  private readonly active = new Map<string, SourceRecord>();
  private readonly log: Logger;
  private stopped = false;

  constructor(private readonly d: SourceDeps) {
    this.log = d.log.child({ area: 'migration-out' });
  }

  /** Where the archive for migration `id` will be served from, if it is in progress here. */
  outletFor(id: string): Outlet | undefined {
    return this.outlets.get(id);
  }

  private async step(r: SourceRecord, to: SourcePhase, detail?: string, durable = true): Promise<void> {
    checkSourceStep(r.id, r.phase, to);
    this.log.info({ migration: r.id, gpid: r.gpid, to: r.to, phase: to, was: r.phase, detail }, `migration ${to}`);
    r.phase = to;
    // "transferring" recovers like "dumping", and "committing" is covered by commitIntent: neither
    // needs a write inside the job's downtime. Every other phase is written before it acts.
    if (durable && to !== 'transferring') await this.d.store.save(r);
  }

  /** The destination, over a channel bound to its identity (see PeerPool). */
  private peer(r: SourceRecord) {
    const domain = r.toDomain ?? this.d.router.domainOf(r.to);
    return this.d.pool.migrationPeer(r.toAddress, domain ? { host: r.to, domain } : undefined);
  }

  /** Is `peer` the destination of migration `id` (the only host that may fetch its archive)? */
  isDestination(id: string, peer: { host: string; domain: string }): boolean {
    const r = this.active.get(id);
    return r !== undefined && r.to === peer.host && (r.toDomain ?? this.d.router.domainOf(r.to)) === peer.domain;
  }

  // ---- the whole migration ------------------------------------------------------------------

  async migrate(gpid: string, o: MigrateOptions): Promise<MigrationSummary> {
    const { d } = this;
    const t0 = performance.now();
    if (o.to === d.hostId) throw new InvalidRequestError(`job ${gpid} is already on ${o.to}`, 'Choose another destination with --to');
    const toAddress = d.router.address(o.to);
    const initial = d.jobs.require(gpid);
    if (initial.state !== 'running' && initial.state !== 'stopped') throw new IllegalTransitionError(gpid, initial.state, 'migrating', 'migrate');
    let lazy = o.lazy === 'on' || o.lazy === 'auto';
    if (lazy) {
      const why = await d.lazy.unavailable();
      if (why) {
        if (o.lazy === 'on') throw new LazyUnavailableError(d.hostId, why);
        o.onProgress({ phase: 'accepted', message: `post-copy unavailable here (${why}); migrating without it` });
        lazy = false;
      }
    }
    const id = `${gpid}-${Date.now().toString(36)}`;
    const r: SourceRecord = {
      role: 'source',
      id,
      gpid,
      to: o.to,
      toAddress,
      toDomain: d.router.domainOf(o.to),
      lazy,
      phase: 'offered',
      priorState: initial.state,
      reason: o.reason,
      startedAt: Date.now(),
      ckptDir: d.store.imagesDir(id, lazy, d.hostId),
      timings: {},
      bytes: 0,
      commitIntent: false,
    };

    return d.jobs.withLock(gpid, async () => {
      const job = d.jobs.require(gpid);
      if (job.state !== 'running' && job.state !== 'stopped') throw new IllegalTransitionError(gpid, job.state, 'migrating', 'migrate');
      // 1. Offer: the destination decides before anything is frozen.
      const { manifest: preview, estimatedBytes } = await d.checkpointer.preview(job);
      await d.store.save(r);
      try {
        await unary(this.peer(r), 'offer', {
          id,
          gpid,
          fromHost: d.hostId,
          fromDomain: d.domain,
          fromAddress: d.router.address(d.hostId),
          preview: Buffer.from(JSON.stringify(preview)),
          job: Buffer.from(JSON.stringify(job)),
          estimatedBytes,
          lazy,
          via: { originHost: d.hostId, originDomain: d.domain, hops: 1 },
        }, PEER_CALL_TIMEOUT_MS);
      } catch (err) {
        await d.store.remove(r);
        const e = d.router.translate(err, o.to, toAddress);
        if (e instanceof ZincError && e.kind !== 'unavailable') throw new MigrationRefusedError(gpid, o.to, e.message.replace(/^cannot restore on \S+: /, ''));
        throw e;
      }
      o.onProgress({ phase: 'accepted', message: `${o.to} accepted ${gpid}` });
      await d.failpoints.hit('migrate.accepted');
      await d.jobs.transition(job, 'migrating', 'migrating', `migrating to ${o.to}${o.reason ? ` (${o.reason})` : ''}`, { to: o.to, migration: id });

      // 2. The destination starts pulling now (it waits for the archive); then freeze and dump.
      const outlet = new Outlet(id, o.to, FETCH_STALL_TIMEOUT_MS);
      this.outlets.set(id, outlet);
      this.active.set(id, r);
      const lazyAddress = lazy ? await d.lazy.reserve() : undefined;
      const receiving = unary(this.peer(r), 'receive', {
        id,
        job: Buffer.from(JSON.stringify(job)),
        lazyAddress: lazyAddress?.address ?? '',
        via: { originHost: d.hostId, originDomain: d.domain, hops: 1 },
      }, undefined).then(
        (reply) => ({ ok: true as const, reply }),
        (err: unknown) => ({ ok: false as const, err }),
      );
      let frozenAt = 0;
      let lazySource: LazySource | undefined;
      // Whether this process let the stream end OK (the commit). Until then a failure is ours to
      // roll back without asking; after it, only the destination knows.
      let ended = false;
      try {
        r.commitIntent = true;
        await this.step(r, 'dumping');
        o.onProgress({ phase: 'freezing' });
        frozenAt = performance.now();
        let manifest: Manifest;
        if (lazy && lazyAddress) {
          lazySource = await d.lazy.dump(job, r.ckptDir, lazyAddress);
          await d.failpoints.hit('migrate.serving');
          manifest = lazySource.manifest;
          r.timings = { ...lazySource.phases };
        } else {
          const res = await d.checkpointer.checkpointLocked(job, {
            leaveRunning: true,
            keepFrozen: true,
            periodic: false,
            dir: r.ckptDir,
            afterFreeze: () => d.failpoints.hit('migrate.frozen'),
          });
          manifest = res.manifest;
          r.timings = { freeze: res.phases.freeze ?? 0, dump: (res.phases.dump ?? 0) + (res.phases.inspect ?? 0), files: res.phases.files ?? 0, hash: (res.phases['hash-tail'] ?? 0) + (res.phases.hash ?? 0) };
        }
        // 3. Transfer. The Fetch handler streams, records "committing", then ends the stream OK.
        await this.step(r, 'transferring');
        const total = manifest.totalBytes;
        o.onProgress({ phase: 'transferring', bytes: 0, total });
        const tt = performance.now();
        // The durable record already says we may commit (commitIntent, written with "dumping"
        // before the freeze), so ending the stream needs no write inside the downtime.
        r.timings.ready = performance.now() - frozenAt;
        const committingSaved = this.step(r, 'committing', undefined, false);
        committingSaved.catch(() => undefined);
        outlet.open({
          dir: r.ckptDir,
          manifest,
          onBytes: (n) => o.onProgress({ phase: 'transferring', bytes: n, total }),
          halfway: () => d.failpoints.hit('transfer.half'),
          beforeCommit: async () => {
            r.timings.transfer = performance.now() - tt;
            r.timings.sent = performance.now() - frozenAt;
            this.log.debug({ migration: id, sentAt: Date.now(), frozenAt: Math.round(performance.timeOrigin + frozenAt) }, 'archive sent');
            r.bytes = total;
            await committingSaved;
            // Post-copy: the destination may now restore from the page server, which must
            // therefore outlive us from here on (before this it dies with zincd).
            await lazySource?.commit();
            ended = true;
            o.onProgress({ phase: 'restoring', bytes: total, total });
          },
        });
      } catch (err) {
        outlet.fail(err);
        lazySource?.stop();
        const reason = errorMessage(err);
        const phase = r.phase;
        // The destination answers once its Fetch has failed; a silent one is not waited for.
        await Promise.race([receiving, outlet.stalled, new Promise((res) => setTimeout(res, FETCH_STALL_TIMEOUT_MS).unref())]);
        outlet.close();
        this.outlets.delete(id);
        this.active.delete(id);
        await this.rollback(r, job, reason);
        throw new MigrationFailedError(gpid, o.to, phase, reason, true);
      }

      // 4. The destination answers once the job runs there (or that it did not restore it).
      // ...or goes silent before the commit: then the job is thawed here rather than kept frozen.
      const answer = await Promise.race([receiving, outlet.stalled.then((err) => ({ ok: false as const, err }))]);
      outlet.close();
      this.outlets.delete(id);
      this.active.delete(id);
      let outcome: { kind: 'running'; restoreMs?: number; transferMs?: number } | { kind: 'aborted'; reason: string };
      if (answer.ok) outcome = { kind: 'running', restoreMs: Number(answer.reply.restoreMs ?? 0), transferMs: Number(answer.reply.transferMs ?? 0) };
      else if (!ended) outcome = { kind: 'aborted', reason: errorMessage(this.remoteError(answer.err, r)) };
      else if (isServiceError(answer.err) && answer.err.metadata?.get('zinc-code').length) outcome = { kind: 'aborted', reason: fromServiceError(answer.err).message };
      else {
        this.log.warn({ migration: id, err: errorMessage(answer.err) }, 'no answer after the commit; asking the destination until it answers');
        o.onProgress({ phase: 'restoring', message: `waiting for ${o.to} to confirm (the job stays frozen here meanwhile)` });
        outcome = await this.resolve(r);
      }
      if (outcome.kind === 'aborted') {
        lazySource?.stop();
        const phase = r.phase;
        await this.rollback(r, job, outcome.reason);
        // "committing" covers the whole transfer: say "restoring" only if the archive was all sent.
        throw new MigrationFailedError(gpid, o.to, phase !== 'committing' ? phase : ended ? 'restoring' : 'transferring', outcome.reason, true);
      }
      const downtime = performance.now() - frozenAt;
      this.log.debug({ migration: id, answerAt: Date.now() }, 'destination answered');
      if (outcome.restoreMs !== undefined) r.timings.restore = outcome.restoreMs;
      if (outcome.transferMs !== undefined) r.timings.received = outcome.transferMs;
      this.log.info({ migration: id, downtime: Math.round(downtime), timings: Object.fromEntries(Object.entries(r.timings).map(([k, v]) => [k, Math.round(v)])) }, 'migration timings');
      r.timings.downtime = downtime;
      await this.step(r, 'committed');

      // Post-copy: the original stays frozen until the last page has been served.
      if (lazySource) {
        o.onProgress({ phase: 'post-copy', message: 'memory pages follow on demand' });
        const tp = performance.now();
        const ok = await lazySource.finished();
        r.timings.postcopy = performance.now() - tp;
        if (!ok.ok) this.log.error({ migration: id, reason: ok.reason }, 'post-copy did not complete');
      }

      // 5. Clean up.
      o.onProgress({ phase: 'cleaning' });
      await this.finalize(r, job);
      const summary: MigrationSummary = {
        id,
        gpid,
        from: d.hostId,
        to: o.to,
        outcome: 'migrated',
        lazy,
        bytes: r.bytes,
        freezeMs: r.timings.freeze ?? 0,
        dumpMs: (r.timings.dump ?? 0) + (r.timings.files ?? 0) + (r.timings.hash ?? 0),
        transferMs: r.timings.transfer ?? 0,
        restoreMs: r.timings.restore ?? 0,
        downtimeMs: downtime,
        totalMs: performance.now() - t0,
        postcopyMs: r.timings.postcopy ?? 0,
      };
      o.onProgress({ phase: 'done' });
      return summary;
    });
  }

  private remoteError(err: unknown, r: SourceRecord): unknown {
    return isServiceError(err) ? this.d.router.translate(err, r.to, r.toAddress) : err;
  }

  /** After a commit without an answer: poll the destination for the truth. */
  private async resolve(r: SourceRecord): Promise<{ kind: 'running' } | { kind: 'aborted'; reason: string }> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        const s = await unary(this.peer(r), 'status', { id: r.id }, PEER_CALL_TIMEOUT_MS);
        if (s.phase === 'running' || s.phase === 'finished') return { kind: 'running' };
        if (s.phase === 'aborted' || s.phase === 'unknown') return { kind: 'aborted', reason: s.detail || `${r.to} did not restore the job` };
        // accepted/receiving/received/restoring: the destination is still deciding.
      } catch (err) {
        if (attempt % 10 === 0) this.log.warn({ migration: r.id, to: r.to, err: errorMessage(err) }, 'destination unreachable; the job stays frozen here until it answers');
      }
      await new Promise((res) => setTimeout(res, RESOLVE_RETRY_MS));
    }
    throw new Error('zincd is stopping');
  }

  // ---- endings --------------------------------------------------------------------------------

  /** The job now runs on the destination: drop the frozen original, keep a forwarding record. */
  private async finalize(r: SourceRecord, job: JobRecord): Promise<void> {
    const { jobs } = this.d;
    // Taken before the record forgets it: the folders below go only once the supervisor is gone.
    const supervisor = job.shimPid ? { pid: job.shimPid, start: job.shimStart } : undefined;
    if (job.state === 'migrating') {
      const t = r.timings;
      await jobs.transition(job, 'moved', 'moved', `moved to ${r.to}: downtime ${Math.round(t.downtime ?? 0)} ms (freeze ${Math.round(t.freeze ?? 0)}, dump ${Math.round(t.dump ?? 0)}, transfer ${Math.round(t.transfer ?? 0)}, restore ${Math.round(t.restore ?? 0)} ms)`, { to: r.to, migration: r.id }, {
        location: r.to,
        remoteState: 'running',
        jobPid: undefined,
        shimPid: undefined,
        shimStart: undefined,
        checkpoints: [],
      });
    }
    const cg = jobs.cgroupOf(job.gpid);
    if (!cg.isEmpty()) await cg.kill('SIGKILL');
    await jobs.retire(job.gpid, supervisor);
    for (const sub of ['files', 'ctl', 'checkpoints']) await rm(join(jobs.jobDir(job.gpid), sub), { recursive: true, force: true });
    await this.step(r, 'done');
    await unary(this.peer(r), 'finish', { id: r.id }, PEER_CALL_TIMEOUT_MS).catch((err: unknown) =>
      this.log.warn({ migration: r.id, err: errorMessage(err) }, 'could not tell the destination we are done; it will learn on its next status check'),
    );
    await this.d.store.remove(r);
  }

  /** Before the commit (or when the destination says it did not restore): the job stays here. */
  private async rollback(r: SourceRecord, job: JobRecord, reason: string): Promise<void> {
    const { jobs } = this.d;
    if (r.phase !== 'rolling-back') {
      // Past any arrival the destination may have reported to the job's home (epoch + 1): the
      // home must believe that the job is here again. Once per rollback, recorded before it acts.
      job.epoch += 2;
      await jobs.persist(job);
      await this.step(r, 'rolling-back', reason);
    }
    void unary(this.peer(r), 'abort', { id: r.id, reason }, PEER_CALL_TIMEOUT_MS).catch(() => undefined);
    const cg = jobs.cgroupOf(job.gpid);
    const message = `migration to ${r.to} rolled back: ${reason}`;
    // The job may simply have ended during the migration (that is why the dump failed): then it
    // has an exit to record, not a failure.
    if (cg.isEmpty() && job.state === 'migrating' && (await jobs.endedDuringOperation(job))) {
      jobs.event(job, 'migration-abandoned', `migration to ${r.to} abandoned: the job ended meanwhile`);
      await jobs.persist(job);
    } else if (!cg.isEmpty()) {
      // A dump left by a dead zincd may still seize the job; thaw and SIGCONT do not end that.
      const killed = await this.d.lazy.release(job.gpid, r.ckptDir);
      this.log.info({ migration: r.id, gpid: job.gpid, killedTracers: killed, frozen: cg.isFrozen(), resume: r.priorState === 'running' }, 'no CRIU holds the job; thawing and continuing it');
      if (r.priorState === 'running' && cg.isFrozen()) await cg.thaw();
      // A post-copy dump leaves the tree stopped rather than frozen.
      if (r.priorState === 'running') await cg.kill('SIGCONT');
      if (job.state === 'migrating') await jobs.transition(job, r.priorState, 'rolled-back', message, { to: r.to, migration: r.id });
    } else if (job.state === 'migrating' || job.state === 'failed') {
      // The original is gone (the host went down meanwhile): resume it from the same images.
      try {
        const m = await this.d.checkpointer.store.readManifest(r.ckptDir);
        if (m.lazy) throw new Error('a post-copy dump has no memory images');
        await this.d.restorer.restoreLocked(job, r.ckptDir, m, { type: 'rolled-back', message: `${message}; resumed from the migration's images` }, { verify: `migration images ${r.ckptDir}` });
      } catch (err) {
        if (job.state === 'migrating') {
          await jobs.transition(job, 'failed', 'lost', `${message}; the original was gone and it could not be resumed (${errorMessage(err)})`, {}, { reason: `lost during migration to ${r.to}` });
        }
      }
    }
    await rm(r.ckptDir, { recursive: true, force: true });
    await this.step(r, 'rolled-back', reason);
    await this.d.store.remove(r);
  }

  // ---- start-up -------------------------------------------------------------------------------

  /** Finish or roll back what a previous run of this daemon left half done. */
  async recover(records: SourceRecord[]): Promise<void> {
    for (const r of records) {
      const job = this.d.jobs.get(r.gpid);
      if (!job) {
        await this.d.store.remove(r);
        continue;
      }
      void this.d.jobs
        .withLock(r.gpid, async () => {
          const mayHaveCommitted = r.phase === 'committing' || (r.commitIntent && SOURCE_BEFORE_COMMIT.includes(r.phase) && r.phase !== 'offered');
          if (!mayHaveCommitted && (SOURCE_BEFORE_COMMIT.includes(r.phase) || r.phase === 'rolling-back')) {
            await this.rollback(r, job, 'zincd restarted during the migration');
          } else if (mayHaveCommitted) {
            if (r.phase !== 'committing') r.phase = 'committing';
            const outcome = await this.resolve(r);
            if (outcome.kind === 'running') {
              await this.step(r, 'committed');
              await this.finalize(r, job);
            } else await this.rollback(r, job, outcome.reason);
          } else if (r.phase === 'committed' || r.phase === 'done') {
            if (r.phase === 'done') r.phase = 'committed';
            await this.finalize(r, job);
          } else await this.d.store.remove(r);
          this.log.info({ migration: r.id, gpid: r.gpid, state: job.state }, 'recovered migration');
        })
        .catch((err: unknown) => this.log.error({ migration: r.id, err: errorMessage(err) }, 'recovering an outgoing migration failed'));
    }
    // A job left "migrating" without a record (crash between the two writes): it never left.
    for (const job of this.d.jobs.list(true)) {
      if (job.state !== 'migrating' || records.some((r) => r.gpid === job.gpid)) continue;
      await this.d.jobs.withLock(job.gpid, async () => {
        const cg = this.d.jobs.cgroupOf(job.gpid);
        if (cg.isFrozen()) await cg.thaw();
        if (!cg.isEmpty()) await this.d.jobs.transition(job, 'running', 'rolled-back', 'migration interrupted before it began; still here');
      });
    }
  }

  stop(): void {
    this.stopped = true;
  }
}
