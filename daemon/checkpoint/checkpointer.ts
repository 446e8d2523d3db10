/**
 * Takes a checkpoint of a running (or stopped) job:
 *   freeze the cgroup → CRIU dump (images) → copy the job's files while still frozen → thaw
 *   (or, without --leave-running, CRIU has ended the job) → hash everything → manifest → done.
 * The job is frozen from the freeze to the thaw; that is its downtime. A failed dump thaws the job
 * and leaves it exactly as it was; the failed attempt's directory and CRIU log are kept.
 */
import { chmodSync, readdirSync } from 'node:fs';
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { copyTree } from '../store/copy-tree.js';
import { sanitizeTree } from '../store/file-safety.js';
import { PRIVATE_DIR, PRIVATE_FILE } from '../store/modes.js';
import { syncDir, syncTree } from '../store/atomic.js';
import type { Logger } from '../log.js';
import type { JobManager } from '../jobs/manager.js';
import type { CheckpointRef, JobRecord } from '../jobs/record.js';
import { IllegalTransitionError } from '../jobs/errors.js';
import type { StateLayout } from '../store/layout.js';
import { readCriuLogExcerpt, runCriu } from '../criu/probe.js';
import { criuArgv, type CriuResolver } from './criu-binary.js';
import { dumpArgs } from './criu-commands.js';
import { CheckpointDumpError } from './errors.js';
import { externalFiles } from './external-files.js';
import { listTree, type KnownHashes } from './hashing.js';
import { sharedHasher } from './hasher.js';
import { stoppedInNamespace } from '../host/proc.js';
import { cpuFlags, kernelRelease, machineArch } from './host-facts.js';
import { MANIFEST_FORMAT, type ExternalFile, type FileEntry, type Manifest } from './manifest.js';
import { CheckpointStore, DEFAULT_KEEP } from './store.js';

export interface CheckpointOptions {
  leaveRunning: boolean;
  periodic: boolean;
  /** Leave the tree frozen after the dump instead of thawing it (migration freezes, then moves). */
  keepFrozen?: boolean;
  /** Post-copy: serve memory pages from a page server instead of writing them (migration). */
  lazy?: { address: string; port: number };
  /** Where to put the checkpoint (default: the job's checkpoints/ directory). */
  dir?: string;
  /** Why (event log). */
  reason?: string;
  /** Runs once the tree is frozen, before CRIU starts (a failpoint in tests). */
  afterFreeze?: () => Promise<void>;
}

export interface CheckpointResult {
  /** Milliseconds spent in each phase, in order (freeze, dump, files, thaw, hash, manifest). */
  phases: Record<string, number>;
  ref: CheckpointRef;
  manifest: Manifest;
  /** From freeze to thaw (or to the end of the dump when the job stops). */
  frozenMs: number;
  dumpMs: number;
  totalMs: number;
}

export class Checkpointer {
  readonly store: CheckpointStore;

  constructor(
    private readonly hostId: string,
    private readonly domain: string,
    private readonly layout: StateLayout,
    private readonly jobs: JobManager,
    private readonly criu: CriuResolver,
    private readonly log: Logger,
  ) {
    this.store = new CheckpointStore(layout);
  }

  checkpoint(gpid: string, o: CheckpointOptions): Promise<CheckpointResult> {
    return this.jobs.withLock(gpid, () => this.checkpointLocked(this.jobs.require(gpid), o));
  }

  /** For callers that already hold the job's lock (migration). */
  async checkpointLocked(r: JobRecord, o: CheckpointOptions): Promise<CheckpointResult> {
    if (r.state !== 'running' && r.state !== 'stopped' && r.state !== 'migrating') {
      throw new IllegalTransitionError(r.gpid, r.state, 'checkpointed', 'checkpoint');
    }
    const criu = await this.criu.get();
    const id = this.store.nextId(r);
    const finalDir = o.dir ?? this.store.dirOf(r.gpid, id);
    const work = `${finalDir}.partial`;
    const images = join(work, 'images');
    // Images and the job's copied files are root's alone (they hold the job's memory and output).
    await mkdir(images, { recursive: true, mode: PRIVATE_DIR });
    await chmod(work, PRIVATE_DIR);

    const cg = this.jobs.cgroupOf(r.gpid);
    const filesDir = this.layout.filesDir(r.gpid);
    const wasFrozen = cg.isFrozen();
    const phases: Record<string, number> = {};
    let mark = performance.now();
    const phase = (name: string) => {
      const now = performance.now();
      phases[name] = (phases[name] ?? 0) + (now - mark);
      mark = now;
    };
    const t0 = performance.now();
    // Read before the freeze: which processes the job itself keeps stopped (see Manifest.stopped).
    const stopped = stoppedInNamespace(cg.pids());
    if (!wasFrozen) await cg.freeze();
    let thawed = wasFrozen;
    const thaw = async () => {
      if (!thawed) {
        thawed = true;
        await cg.thaw();
      }
    };
    let dumpMs = 0;
    let frozenMs = 0;
    let external;
    const known: KnownHashes = new Map();
    // Hash the memory images while CRIU writes them (on the hash worker, the other core).
    const finishHashing = await sharedHasher().follow(images, /^pages-\d+\.img$/);
    phase('freeze');
    try {
      await o.afterFreeze?.();
      external = externalFiles(cg.pids(), filesDir);
      phase('inspect');
      const t1 = performance.now();
      const argv = criuArgv(
        criu,
        dumpArgs({ pid: r.jobPid ?? 0, imagesDir: images, workDir: work, logName: 'dump.log', leaveRunning: o.leaveRunning || !!o.lazy, freezeCgroup: cg.freezerDir(), lazy: o.lazy }),
      );
      const run = await runCriu(argv[0] as string, argv.slice(1), { timeoutMs: 30 * 60_000 });
      dumpMs = performance.now() - t1;
      phase('dump');
      if (run.exitCode !== 0 && !o.lazy) {
        await thaw();
        await finishHashing().catch(() => undefined);
        const lines = await readCriuLogExcerpt(join(work, 'dump.log'), 6);
        const failedDir = join(this.layout.checkpointsDir(r.gpid), `failed-${id}`);
        await rename(work, failedDir).catch(() => undefined);
        this.jobs.event(r, 'checkpoint-failed', `checkpoint ${id} failed: ${lines.at(-1) ?? 'see log'}`, { log: join(failedDir, 'dump.log') });
        await this.jobs.persist(r);
        throw new CheckpointDumpError(r.gpid, join(failedDir, 'dump.log'), lines, cg.pids().length > 0);
      }
      // The job's own files, exactly as they are at the dump: CRIU restores them by size.
      await copyTree(filesDir, join(work, 'files'));
      // Only plain files travel, without setuid/setgid bits (the copy is root's: see file-safety.ts).
      sanitizeTree(join(work, 'files'));
      phase('files');
      if (o.leaveRunning && !o.keepFrozen) await thaw();
      phase('thaw');
    } catch (err) {
      if (o.leaveRunning || err instanceof CheckpointDumpError) await thaw().catch(() => undefined);
      if (!(err instanceof CheckpointDumpError)) await finishHashing().catch(() => undefined);
      throw err;
    }
    frozenMs = performance.now() - t0;
    // The job runs again (or is gone); only now wait for the digests of its memory images.
    for (const h of await finishHashing()) known.set(h.path, h);
    phase('hash-tail');

    // CRIU writes its images 0644; they hold the job's memory. Synchronous: a migration's
    // downtime may include this, and each call takes microseconds.
    for (const name of readdirSync(images)) chmodSync(join(images, name), PRIVATE_FILE);
    const files = await listTree(work, ['images', 'files'], true, known);
    phase('hash');
    const manifest = makeManifest({
      id,
      job: r,
      filesDir,
      host: this.hostId,
      domain: this.domain,
      criuVersion: criu.version.text,
      leaveRunning: o.leaveRunning,
      lazy: !!o.lazy,
      files,
      external,
    });
    if (stopped.length) manifest.stopped = stopped;
    // A checkpoint that counts (and lets older ones be pruned) must survive a power cut: its images
    // reach the disk before the durable manifest and rename. The job already runs again. A
    // migration's dump (o.dir) is transient: no fsync inside the job's downtime.
    if (!o.dir) await syncTree(work);
    phase('sync');
    await this.store.writeManifest(work, manifest, !o.dir);
    await rm(finalDir, { recursive: true, force: true });
    await rename(work, finalDir);
    if (!o.dir) await syncDir(dirname(finalDir));
    phase('manifest');
    const totalMs = performance.now() - t0;
    const ref: CheckpointRef = { id, dir: finalDir, at: manifest.createdAt, bytes: manifest.totalBytes, periodic: o.periodic };
    if (!o.dir) {
      r.checkpoints.push(ref);
      const fields = { id, bytes: String(ref.bytes), ms: String(Math.round(totalMs)), frozen_ms: String(Math.round(frozenMs)) };
      const what = `${o.periodic ? 'periodic ' : ''}checkpoint ${id}: ${(ref.bytes / 1048576).toFixed(1)} MiB in ${Math.round(totalMs)} ms (frozen ${Math.round(frozenMs)} ms)${o.reason ? ` — ${o.reason}` : ''}`;
      if (o.leaveRunning) {
        this.jobs.event(r, 'checkpointed', what, fields);
        const dropped = o.periodic ? await this.store.prune(r, r.spec.keepCheckpoints || DEFAULT_KEEP) : [];
        if (dropped.length) this.jobs.event(r, 'pruned', `removed old checkpoint${dropped.length > 1 ? 's' : ''} ${dropped.map((d) => d.id).join(', ')}`);
        await this.jobs.persist(r);
      } else {
        // CRIU ended the job after the dump; its supervisor's exit report is not an "exit".
        await this.jobs.transition(r, 'checkpointed', 'checkpointed', `${what}; job stopped`, fields, { jobPid: undefined });
        await this.jobs.retire(r.gpid);
      }
    }
    const rounded = Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v * 10) / 10]));
    this.log.info({ gpid: r.gpid, id, bytes: ref.bytes, totalMs: Math.round(totalMs), frozenMs: Math.round(frozenMs), phases: rounded }, 'checkpoint written');
    return { ref, manifest, frozenMs, dumpMs, totalMs, phases };
  }

  async sizeOf(path: string): Promise<number> {
    return (await stat(path)).size;
  }

  /**
   * What a destination needs to decide, before anything is frozen, whether it could restore this
   * job: a manifest without files. `estimatedBytes` is the tree's memory in use.
   */
  async preview(r: JobRecord): Promise<{ manifest: Manifest; estimatedBytes: number }> {
    const criu = await this.criu.get();
    const cg = this.jobs.cgroupOf(r.gpid);
    const filesDir = this.layout.filesDir(r.gpid);
    const memory = cg.memoryCurrent() ?? 0;
    const manifest = makeManifest({
      id: 'preview',
      job: r,
      filesDir,
      host: this.hostId,
      domain: this.domain,
      criuVersion: criu.version.text,
      leaveRunning: true,
      lazy: false,
      files: [],
      external: externalFiles(cg.pids(), filesDir),
    });
    return { estimatedBytes: memory, manifest: { ...manifest, totalBytes: memory } };
  }
}

export interface ManifestInput {
  id: string;
  job: JobRecord;
  filesDir: string;
  host: string;
  domain: string;
  criuVersion: string;
  leaveRunning: boolean;
  lazy: boolean;
  files: FileEntry[];
  external: ExternalFile[];
}

/** The manifest of a dump just taken on this host. */
export function makeManifest(i: ManifestInput): Manifest {
  const r = i.job;
  return {
    format: MANIFEST_FORMAT,
    id: i.id,
    gpid: r.gpid,
    name: r.name,
    home: r.home,
    spec: r.spec,
    cwd: r.cwd,
    submittedAt: r.submittedAt,
    startedAt: r.startedAt,
    filesDir: i.filesDir,
    sourceHost: i.host,
    sourceDomain: i.domain,
    createdAt: Date.now(),
    kernel: kernelRelease(),
    arch: machineArch(),
    cpuFlags: cpuFlags(),
    criuVersion: i.criuVersion,
    rootPid: r.jobPid ?? 0,
    leaveRunning: i.leaveRunning,
    lazy: i.lazy,
    hops: r.hops,
    migrations: r.migrations,
    epoch: r.epoch,
    files: i.files,
    external: i.external,
    totalBytes: i.files.reduce((n, f) => n + f.size, 0),
  };
}
