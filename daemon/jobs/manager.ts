/**
 * Owns the jobs that live on this host: creates them, supervises them through their shims, applies
 * whole-tree control through cgroups, persists every change, and re-adopts everything after a
 * restart. It knows nothing about other hosts; routing is the services' business.
 */
import { EventEmitter } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { chown, mkdir, readdir, rm } from 'node:fs/promises';
import type { CgroupLayout } from '../cgroups/detect.js';
import { CgroupSet } from '../cgroups/cgroup-set.js';
import { KeyedMutex } from '../common/keyed-mutex.js';
import { errorMessage } from '../common/zinc-error.js';
import { isSameProcess, processStartTime, waitExited } from '../host/proc.js';
import type { Logger } from '../log.js';
import type { StateLayout } from '../store/layout.js';
import { secureJobDirs } from '../store/modes.js';
import { buildJobEnv } from './environment.js';
import { IllegalTransitionError, JobNotFoundError, JobStartError } from './errors.js';
import { readExitFile, type ExitFile } from './exit-file.js';
import { JobStore } from './job-store.js';
import { launchJob, type ShimStarted } from './launcher.js';
import type { JobEvent, JobRecord, JobSpecRecord } from './record.js';
import { signalName } from './signals.js';
import { canTransition, isTerminal, LIVE_STATES, type JobState } from './state-machine.js';

export interface JobManagerOptions {
  hostId: string;
  layout: StateLayout;
  cgroups: CgroupLayout;
  cgroupParent: string;
  shimPath: string;
  log: Logger;
  /** How often live jobs are checked even without a file-system event (missed events, dead shims). */
  reconcileIntervalMs?: number;
}

export interface NewJob {
  gpid: string;
  home: string;
  name: string;
  spec: JobSpecRecord;
  cwd: string; // resolved and validated by the caller
  userHome: string;
  /** How the policy chose this host (proto PlacementDecision), if it did. */
  placement?: Record<string, unknown> | undefined;
}

type Waiter = (r: JobRecord) => void;

export class JobManager extends EventEmitter<{ changed: [JobRecord] }> {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly mutex = new KeyedMutex();
  private readonly store: JobStore;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: JobManagerOptions) {
    super();
    this.log = o.log.child({ area: 'jobs' });
    this.store = new JobStore(o.layout, this.log);
  }

  // ---- lifecycle --------------------------------------------------------------------------

  /** Loads every record and re-adopts live jobs. Returns the highest local sequence number seen. */
  async start(): Promise<number> {
    let maxSeq = 0;
    for (const r of await this.store.loadAll()) {
      this.jobs.set(r.gpid, r);
      if (r.home === this.o.hostId) maxSeq = Math.max(maxSeq, Number(r.gpid.slice(r.gpid.lastIndexOf('.') + 1)));
    }
    for (const r of this.jobs.values()) {
      if (LIVE_STATES.includes(r.state) && r.state !== 'migrating') await this.readopt(r);
    }
    this.timer = setInterval(() => void this.reconcileAll(), this.o.reconcileIntervalMs ?? 1000);
    this.timer.unref();
    this.log.info({ jobs: this.jobs.size, live: this.live().length }, 'job records loaded');
    return maxSeq;
  }

  /** Stops supervising; every job keeps running under its own shim. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  // ---- queries ----------------------------------------------------------------------------

  get(gpid: string): JobRecord | undefined {
    return this.jobs.get(gpid);
  }

  require(gpid: string): JobRecord {
    const r = this.jobs.get(gpid);
    if (!r) throw new JobNotFoundError(gpid, this.o.hostId);
    return r;
  }

  list(all: boolean): JobRecord[] {
    const out = [...this.jobs.values()].filter((r) => all || !isTerminal(r.state));
    return out.sort((a, b) => a.submittedAt - b.submittedAt || a.gpid.localeCompare(b.gpid));
  }

  live(): JobRecord[] {
    return [...this.jobs.values()].filter((r) => LIVE_STATES.includes(r.state));
  }

  jobDir(gpid: string): string {
    return this.o.layout.jobDir(gpid);
  }

  cgroupOf(gpid: string): CgroupSet {
    return new CgroupSet(this.o.cgroups, `${this.o.cgroupParent}/jobs/${gpid}`);
  }

  shimCgroup(): CgroupSet {
    return new CgroupSet(this.o.cgroups, `${this.o.cgroupParent}/shims`);
  }

  // ---- submit -----------------------------------------------------------------------------

  async submit(job: NewJob): Promise<JobRecord> {
    const { layout } = this.o;
    const now = Date.now();
    const record: JobRecord = {
      format: 1,
      gpid: job.gpid,
      name: job.name,
      home: job.home,
      host: this.o.hostId,
      location: this.o.hostId,
      state: 'queued',
      spec: job.spec,
      cwd: job.cwd,
      submittedAt: now,
      events: [],
      hops: [this.o.hostId],
      migrations: 0,
      epoch: 0,
      checkpoints: [],
      ...(job.placement ? { placement: job.placement } : {}),
    };
    const by = job.placement ? ` (placed by ${String(job.placement.decidedBy ?? '?')}: ${String(job.placement.policy ?? '')})` : '';
    this.event(record, 'submitted', `submitted on ${this.o.hostId}${by}`, { user: job.spec.user });
    await mkdir(layout.ctlDir(job.gpid), { recursive: true });
    await mkdir(layout.workDir(job.gpid), { recursive: true });
    secureJobDirs(layout, job.gpid);
    this.jobs.set(record.gpid, record);
    await this.persist(record);
    return this.mutex.run(record.gpid, () => this.launch(record, job.userHome));
  }

  private async launch(record: JobRecord, userHome: string): Promise<JobRecord> {
    const { layout } = this.o;
    const cg = this.cgroupOf(record.gpid);
    let started: ShimStarted;
    try {
      cg.create();
      if (record.spec.memBytes > 0 && !cg.setMemoryLimit(record.spec.memBytes)) {
        this.event(record, 'warning', 'no memory controller: --mem is used for placement only');
      }
      const shimCg = this.shimCgroup();
      shimCg.create();
      // The working directory is created owned by the job's user so it can write there.
      if (record.spec.uid !== 0) await chownTree(layout.filesDir(record.gpid), record.spec.uid, record.spec.gid);
      started = await launchJob(this.o.shimPath, {
        gpid: record.gpid,
        ctlDir: layout.ctlDir(record.gpid),
        stdout: layout.stdout(record.gpid),
        stderr: layout.stderr(record.gpid),
        cwd: record.cwd,
        user: record.spec.user,
        uid: record.spec.uid,
        gid: record.spec.gid,
        argv: record.spec.argv,
        env: buildJobEnv(record, userHome),
        jobCgroupProcs: cg.procsFiles(),
        shimCgroupProcs: shimCg.procsFiles(),
      });
    } catch (err) {
      cg.remove();
      const reason = err instanceof JobStartError ? err.message.replace(/^job \S+ could not start: /, '') : errorMessage(err);
      await this.transition(record, 'failed', 'failed', reason, {}, { reason, endedAt: Date.now() });
      throw err instanceof JobStartError ? err : new JobStartError(record.gpid, reason);
    }
    await this.transition(record, 'running', 'started', `started, pid ${started.jobPid}`, { pid: String(started.jobPid) }, {
      shimPid: started.shimPid,
      shimStart: processStartTime(started.shimPid),
      jobPid: started.jobPid,
      startedAt: Date.now(),
    });
    this.watch(record.gpid);
    // The job may have ended before the watch was in place.
    void this.mutex.run(record.gpid, () => this.checkEnded(record.gpid));
    return record;
  }

  /** Adopt a job started by a shim outside launch() (restore, migration). */
  async adopt(record: JobRecord, started: ShimStarted, type: string, message: string, fields: Record<string, string> = {}): Promise<JobRecord> {
    this.jobs.set(record.gpid, record);
    await this.transition(record, 'running', type, message, fields, {
      shimPid: started.shimPid,
      shimStart: processStartTime(started.shimPid),
      jobPid: started.jobPid,
      startedAt: record.startedAt ?? Date.now(),
      exit: undefined,
      endedAt: undefined,
      reason: undefined,
      killRequested: undefined,
    });
    this.watch(record.gpid);
    void this.mutex.run(record.gpid, () => this.checkEnded(record.gpid));
    return record;
  }

  // ---- control ----------------------------------------------------------------------------

  stopJob(gpid: string): Promise<JobRecord> {
    return this.mutex.run(gpid, async () => {
      const r = this.require(gpid);
      if (r.state !== 'running') throw new IllegalTransitionError(gpid, r.state, 'stopped', 'stop');
      await this.cgroupOf(gpid).freeze();
      await this.transition(r, 'stopped', 'stopped', 'every process of the job frozen');
      return r;
    });
  }

  contJob(gpid: string): Promise<JobRecord> {
    return this.mutex.run(gpid, async () => {
      const r = this.require(gpid);
      if (r.state !== 'stopped') throw new IllegalTransitionError(gpid, r.state, 'running', 'continue');
      await this.cgroupOf(gpid).thaw();
      await this.transition(r, 'running', 'continued', 'every process of the job thawed');
      return r;
    });
  }

  /**
   * Signals the whole tree. SIGKILL waits (briefly) until the tree is gone and the supervisor has
   * recorded the end, so the caller sees the final state.
   */
  async killJob(gpid: string, signal: NodeJS.Signals): Promise<JobRecord> {
    await this.mutex.run(gpid, async () => {
      const r = this.require(gpid);
      if (r.state === 'checkpointed' || (r.state === 'failed' && r.checkpoints.length > 0)) {
        // Nothing runs; killing means giving up on resuming it.
        await this.transition(r, 'killed', 'killed', `killed while ${r.state} (${signal}); it will not be resumed`, { signal }, {
          exit: { signal },
          endedAt: Date.now(),
        });
        return;
      }
      if (!['running', 'stopped', 'queued'].includes(r.state)) throw new IllegalTransitionError(gpid, r.state, 'killed', 'kill');
      const cg = this.cgroupOf(gpid);
      if (signal === 'SIGKILL') r.killRequested = true;
      this.event(r, 'signalled', `${signal} sent to every process of the job`, { signal });
      await this.persist(r);
      await cg.kill(signal);
    });
    if (signal === 'SIGKILL') await this.waitEnded(gpid, 5000);
    return this.require(gpid);
  }

  // ---- waiting ----------------------------------------------------------------------------

  /** Resolves when the job is terminal or has moved away from this host. */
  waitFor(gpid: string): Promise<JobRecord> {
    const r = this.require(gpid);
    if (isTerminal(r.state) || r.state === 'moved') return Promise.resolve(r);
    return new Promise((resolve) => {
      let set = this.waiters.get(gpid);
      if (!set) this.waiters.set(gpid, (set = new Set()));
      set.add(resolve);
    });
  }

  private async waitEnded(gpid: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const r = this.jobs.get(gpid);
      if (!r || isTerminal(r.state) || r.state === 'moved') return;
      await this.mutex.run(gpid, () => this.checkEnded(gpid));
      await new Promise((res) => setTimeout(res, 15));
    }
  }

  // ---- supervision ------------------------------------------------------------------------

  private watch(gpid: string): void {
    if (this.watchers.has(gpid)) return;
    try {
      const w = watch(this.o.layout.ctlDir(gpid), (_event, file) => {
        if (file === 'exit') void this.mutex.run(gpid, () => this.checkEnded(gpid));
      });
      w.on('error', () => this.unwatch(gpid));
      this.watchers.set(gpid, w);
    } catch (err) {
      this.log.warn({ gpid, err: errorMessage(err) }, 'cannot watch the job; relying on periodic checks');
    }
  }

  private unwatch(gpid: string): void {
    this.watchers.get(gpid)?.close();
    this.watchers.delete(gpid);
  }

  private async reconcileAll(): Promise<void> {
    for (const r of this.live()) {
      if (r.state === 'migrating') continue;
      await this.mutex.run(r.gpid, () => this.checkEnded(r.gpid)).catch((err: unknown) => {
        this.log.error({ gpid: r.gpid, err: errorMessage(err) }, 'checking the job failed');
      });
    }
  }

  /** After a daemon restart: finish jobs that ended meanwhile, re-adopt the others. */
  private async readopt(r: JobRecord): Promise<void> {
    await this.mutex.run(r.gpid, async () => {
      if (await this.checkEnded(r.gpid)) return;
      this.event(r, 'adopted', `supervision resumed by zincd on ${this.o.hostId}`);
      await this.persist(r);
      this.watch(r.gpid);
    });
  }

  /** Returns true if the job has ended (and records it). Must run under the job's mutex. */
  private async checkEnded(gpid: string): Promise<boolean> {
    const r = this.jobs.get(gpid);
    if (!r || !LIVE_STATES.includes(r.state) || r.state === 'migrating') return r ? !LIVE_STATES.includes(r.state) : true;
    let exit: ExitFile | undefined;
    try {
      exit = await this.exitOf(r);
    } catch (err) {
      this.log.error({ gpid, err: errorMessage(err) }, 'exit file unreadable');
    }
    if (exit) {
      await this.recordExit(r, exit);
      return true;
    }
    if (r.shimPid && !isSameProcess(r.shimPid, r.shimStart)) {
      // Re-check: the shim writes the exit file just before exiting.
      exit = await this.exitOf(r).catch(() => undefined);
      if (exit) {
        await this.recordExit(r, exit);
        return true;
      }
      await this.recordLost(r);
      return true;
    }
    return false;
  }

  /**
   * A job can end on its own while a migration or checkpoint is under way (its dump then fails).
   * If its supervisor recorded an end, record it as the job's real exit. Caller holds the lock.
   */
  async endedDuringOperation(r: JobRecord): Promise<boolean> {
    const exit = await this.exitOf(r).catch(() => undefined);
    if (!exit) return false;
    await this.recordExit(r, exit);
    return true;
  }

  /**
   * The exit that the job's current supervisor wrote, if any. A job that left this host and came
   * back has a new supervisor; one of its earlier stay may still write into the same ctl/ folder,
   * and its exit is not this incarnation's (issue 11, case 3): it is removed and ignored.
   */
  private async exitOf(r: JobRecord): Promise<ExitFile | undefined> {
    const path = this.o.layout.exitFile(r.gpid);
    const exit = await readExitFile(path);
    if (!exit || exit.shim_pid === undefined || r.shimPid === undefined || exit.shim_pid === r.shimPid) return exit;
    this.log.warn({ gpid: r.gpid, writtenBy: exit.shim_pid, supervisor: r.shimPid }, 'exit file written by a supervisor of an earlier stay; ignored');
    await rm(path, { force: true });
    return undefined;
  }

  private async recordExit(r: JobRecord, exit: ExitFile): Promise<void> {
    const cg = this.cgroupOf(r.gpid);
    const usage = cg.usage();
    const signal = exit.signal !== undefined ? signalName(exit.signal) : undefined;
    const to: JobState = signal ? 'killed' : 'exited';
    const message = signal
      ? `killed by ${signal}${exit.core ? ' (core dumped)' : ''}${r.killRequested ? ' (zinc kill)' : ''}`
      : `exited with code ${exit.code ?? 0}`;
    await this.transition(r, to, to, message, signal ? { signal } : { code: String(exit.code ?? 0) }, {
      exit: signal ? { signal } : { code: exit.code ?? 0 },
      endedAt: exit.at_ms,
      usage: { cpuUsec: usage.cpuUsec ?? exit.cpu_usec, peakRssBytes: usage.peakBytes ?? exit.maxrss_kb * 1024 },
      jobPid: undefined,
    });
    await this.cleanupCgroup(cg);
    this.unwatch(r.gpid);
  }

  /** The supervisor vanished without recording an end: the host crashed or someone killed it. */
  private async recordLost(r: JobRecord): Promise<void> {
    const cg = this.cgroupOf(r.gpid);
    // Whatever is left of the tree is unsupervised; a restart from a checkpoint must not find a
    // second copy running, so it is removed.
    if (!cg.isEmpty()) await cg.kill('SIGKILL');
    const reason =
      r.checkpoints.length > 0
        ? `its supervisor vanished (host crash?); resume it with \`zinc restart ${r.gpid}\``
        : 'its supervisor vanished (host crash?) and it has no checkpoint';
    await this.transition(r, 'failed', 'lost', reason, {}, { reason, endedAt: Date.now(), jobPid: undefined });
    await this.cleanupCgroup(cg);
    this.unwatch(r.gpid);
  }

  private async cleanupCgroup(cg: CgroupSet): Promise<void> {
    if (!cg.isEmpty()) await cg.waitEmpty(2000);
    cg.remove();
  }

  // ---- state changes ----------------------------------------------------------------------

  /** The single place where a job changes state. */
  async transition(
    r: JobRecord,
    to: JobState,
    eventType: string,
    message: string,
    fields: Record<string, string> = {},
    patch: Partial<JobRecord> = {},
  ): Promise<void> {
    const from = r.state;
    if (from !== to && !canTransition(from, to)) throw new IllegalTransitionError(r.gpid, from, to);
    Object.assign(r, patch);
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete (r as Record<string, unknown>)[k];
    r.state = to;
    this.event(r, eventType, message, fields);
    this.log.info({ ...fields, gpid: r.gpid, from, to, event: eventType }, message);
    await this.persist(r);
    if (isTerminal(to) || to === 'moved') this.wake(r);
  }

  event(r: JobRecord, type: string, message: string, fields: Record<string, string> = {}): JobEvent {
    const e: JobEvent = { at: Date.now(), type, host: this.o.hostId, message, fields };
    r.events.push(e);
    return e;
  }

  async persist(r: JobRecord, durable = true): Promise<void> {
    await this.store.save(r, durable);
    this.emit('changed', r);
  }

  /** Insert or replace a record that arrived from elsewhere (a forwarding stub, a migrated job).
   * `durable: false` skips fsync, for callers that can rebuild the record after a crash. */
  async put(r: JobRecord, durable = true): Promise<void> {
    this.jobs.set(r.gpid, r);
    await mkdir(this.o.layout.jobDir(r.gpid), { recursive: true });
    await this.persist(r, durable);
  }

  /** Forget a job entirely (its files are removed). Used when a migration hands it over. */
  async remove(gpid: string): Promise<void> {
    this.unwatch(gpid);
    this.jobs.delete(gpid);
    await rm(this.o.layout.jobDir(gpid), { recursive: true, force: true });
  }

  /** The job's processes are gone from this host (checkpointed and stopped, or migrated away):
   * stop supervising it and remove its cgroup. */
  /**
   * Forget a job that left this host: wait until its cgroup is empty and until its supervisor (as
   * `supervisor` names it, taken before the record dropped it) has exited. The supervisor writes
   * the job's end into ctl/ as its last act, so the job's folders may be removed, or reused by the
   * job's next stay here, only once it is gone. One that outlives its job's processes by 5 s has
   * nothing left to supervise and is killed.
   */
  async retire(gpid: string, supervisor?: { pid: number; start: number | undefined }): Promise<void> {
    this.unwatch(gpid);
    const cg = this.cgroupOf(gpid);
    await cg.waitEmpty(5000);
    cg.remove();
    if (!supervisor?.pid) return;
    if (await waitExited(supervisor.pid, supervisor.start, 5000)) return;
    this.log.warn({ gpid, shimPid: supervisor.pid }, 'supervisor still running 5 s after its job left; killing it');
    try {
      process.kill(supervisor.pid, 'SIGKILL');
    } catch {
      // it exited just now
    }
    if (!(await waitExited(supervisor.pid, supervisor.start, 5000))) {
      this.log.error({ gpid, shimPid: supervisor.pid }, 'supervisor did not exit after SIGKILL');
    }
  }

  withLock<T>(gpid: string, fn: () => Promise<T>): Promise<T> {
    return this.mutex.run(gpid, fn);
  }

  private wake(r: JobRecord): void {
    const set = this.waiters.get(r.gpid);
    if (!set) return;
    this.waiters.delete(r.gpid);
    for (const w of set) w(r);
  }
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await chown(dir, uid, gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = `${dir}/${entry.name}`;
    if (entry.isDirectory()) await chownTree(p, uid, gid);
    else await chown(p, uid, gid);
  }
}
