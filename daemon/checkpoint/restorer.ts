/**
 * Resumes a job from a checkpoint directory on this host, with the same GPID:
 *   pre-flight (CRIU version, CPU features, paths, external files, checksums) → put the job's
 *   files back exactly as they were at the dump → `criu restore --restore-sibling -d` under a new
 *   supervisor (so its exit code is the job's) → running.
 * Nothing is deleted on a failure path: the checkpoint stays, the job's current files are put
 * back, and the job is marked failed with the reason.
 */
import { rename, rm } from 'node:fs/promises';
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { copyTree } from '../store/copy-tree.js';
import { sanitizeTree } from '../store/file-safety.js';
import { PRIVATE_DIR } from '../store/modes.js';
import type { Logger } from '../log.js';
import type { JobManager } from '../jobs/manager.js';
import type { JobRecord } from '../jobs/record.js';
import { launchRestore, prepareRestore, type PreparedRestore, type RestoreOptions, type ShimStarted } from '../jobs/launcher.js';
import { JobStartError } from '../jobs/errors.js';
import type { StateLayout } from '../store/layout.js';
import { compareCriuVersions, parseVersionText, readCriuLogExcerpt } from '../criu/probe.js';
import { criuArgv, type Criu, type CriuResolver } from './criu-binary.js';
import { restoreArgs } from './criu-commands.js';
import { ChecksumMismatchError, PreflightError, RestoreError } from './errors.js';
import { checkExternalFiles } from './external-files.js';
import { checkImageOwner } from './image-owner.js';
import { ownerOf } from './file-access.js';
import { sharedHasher } from './hasher.js';
import { innermostPid } from '../host/proc.js';
import { machineArch, missingCpuFlags } from './host-facts.js';
import type { Manifest } from './manifest.js';

/** CRIU's log for a restore by a migration's destination (in the job's ctl directory). */
export const MIGRATION_RESTORE_LOG = 'restore-migration.log';

export interface RestoreEvent {
  type: string;
  message: string;
  fields?: Record<string, string>;
}

export class Restorer {
  constructor(
    private readonly hostId: string,
    private readonly layout: StateLayout,
    private readonly jobs: JobManager,
    private readonly criu: CriuResolver,
    private readonly shimPath: string,
    private readonly log: Logger,
  ) {}

  /** Everything that would make a restore fail here, one line each; empty when it can go ahead. */
  async preflight(m: Manifest): Promise<string[]> {
    const problems: string[] = [];
    const criu = await this.criu.get().catch((err: unknown) => {
      problems.push((err as Error).message);
      return undefined;
    });
    if (criu) {
      const made = parseVersionText(m.criuVersion);
      if (made && compareCriuVersions(criu.version, made) < 0) {
        problems.push(`CRIU ${criu.version.text} here is too old for a checkpoint made by CRIU ${m.criuVersion} (run criu/install)`);
      }
    }
    if (m.arch !== machineArch()) problems.push(`architecture ${machineArch()} here, ${m.arch} in the checkpoint`);
    const missing = missingCpuFlags(m.cpuFlags);
    if (missing.length) problems.push(`CPU features missing here: ${missing.slice(0, 10).join(' ')}${missing.length > 10 ? ' …' : ''}`);
    const here = this.layout.filesDir(m.gpid);
    if (here !== m.filesDir) {
      problems.push(`the job's files were at ${m.filesDir} and would be at ${here} here; CRIU restores open files by path, so every host needs the same --state-dir`);
    }
    // Judged as the job's user sees this host, so the answer reveals nothing about other files.
    problems.push(...checkExternalFiles(m.external, await ownerOf(m.spec.uid, m.spec.gid)));
    return problems;
  }

  async requirePreflight(m: Manifest): Promise<void> {
    const problems = await this.preflight(m);
    if (problems.length) throw new PreflightError(this.hostId, problems);
  }

  /** Re-hash a stored checkpoint; throws naming the first file that does not match. */
  async verify(dir: string, m: Manifest, source: string): Promise<void> {
    const files = m.files.filter((f) => f.type === 'file' && f.sha256);
    // Biggest first: the memory images dominate, and a mismatch there is found soonest.
    files.sort((a, b) => b.size - a.size);
    let results;
    try {
      results = await sharedHasher().hash(files.map((f) => join(dir, f.path)));
    } catch (err) {
      const missing = files.find((f) => !existsSync(join(dir, f.path)));
      throw new ChecksumMismatchError(missing?.path ?? '?', missing?.sha256 ?? '', `unreadable (${(err as Error).message})`, source);
    }
    files.forEach((f, i) => {
      const actual = results[i]?.sha256 ?? 'missing';
      if (actual !== f.sha256) throw new ChecksumMismatchError(f.path, f.sha256 ?? '', actual, source);
    });
  }

  /**
   * Restore under the job's lock (the caller holds it). With `verify`, the checksums are checked
   * while CRIU restores: the tree is restored stopped and continued only if every file matches,
   * so verification costs (almost) no extra time and a corrupt checkpoint never runs.
   */
  async restoreLocked(
    r: JobRecord,
    dir: string,
    m: Manifest,
    ev: RestoreEvent,
    opts: {
      verify?: string;
      lazy?: boolean;
      beforeLaunch?: (() => Promise<void>) | undefined;
      moveFiles?: boolean;
      /** A supervisor started ahead of time by prepare() (a migration's destination). */
      prepared?: PreparedRestore | undefined;
    } = {},
  ): Promise<JobRecord> {
    const lazy = opts.lazy ?? false;
    // The images, not the manifest, decide whose credentials the restored tasks get: check them
    // against the job's owner before anything is touched (image-owner.ts).
    await checkImageOwner(r.gpid, join(dir, 'images'), r.spec, this.layout.filesDir(r.gpid));
    const verifying = opts.verify ? this.verify(dir, m, opts.verify).then(() => undefined, (err: unknown) => err) : Promise.resolve(undefined);
    const criu = await this.criu.get();
    const gpid = r.gpid;
    const filesDir = this.layout.filesDir(gpid);
    const ctl = this.layout.ctlDir(gpid);
    const aside = join(this.layout.jobDir(gpid), `files.before-restore-${Date.now()}`);
    const logName = opts.prepared ? MIGRATION_RESTORE_LOG : `restore-${m.id}.log`;
    const cg = this.jobs.cgroupOf(gpid);
    let movedAside = false;
    let started: ShimStarted;
    const marks: Record<string, number> = {};
    const t0 = performance.now();
    const mark = (k: string) => (marks[k] = Math.round((performance.now() - t0) * 10) / 10);
    try {
      if (existsSync(filesDir)) {
        await rename(filesDir, aside);
        movedAside = true;
      }
      // A migration's images are used once: move its files into place instead of copying them
      // (unless they sit on another filesystem, e.g. a tmpfs scratch area).
      const copy = () => copyTree(join(dir, 'files'), filesDir);
      if (opts.moveFiles) {
        await rename(join(dir, 'files'), filesDir).catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'EXDEV') return copy();
          throw err;
        });
      } else await copy();
      // The job's files come back as plain files owned by its user (file-safety.ts), in a
      // directory only that user and root can read.
      sanitizeTree(filesDir, { uid: r.spec.uid, gid: r.spec.gid });
      chmodSync(filesDir, PRIVATE_DIR);
      mark('files');
      // Synchronous: each of these is a single cheap syscall, and they sit inside the downtime.
      mkdirSync(ctl, { recursive: true });
      rmSync(join(ctl, 'exit'), { force: true });
      cg.create();
      if (r.spec.memBytes > 0) cg.setMemoryLimit(r.spec.memBytes);
      const shimCg = this.jobs.shimCgroup();
      shimCg.create();
      const pidfile = join(ctl, 'restore.pid');
      rmSync(pidfile, { force: true });
      mark('cgroup');
      await opts.beforeLaunch?.();
      mark('ready');
      started = opts.prepared
        ? await opts.prepared.go()
        : await launchRestore(this.shimPath, this.shimOptions(gpid, dir, criu, { logName, lazy, leaveStopped: !!opts.verify }));
    } catch (err) {
      const bad = await verifying;
      if (bad) {
        await this.undo(cg, filesDir, aside, movedAside);
        throw bad;
      }
      // Put everything back as it was; keep the checkpoint.
      if (movedAside) {
        await rm(filesDir, { recursive: true, force: true });
        await rename(aside, filesDir).catch(() => undefined);
      }
      await cg.kill('SIGKILL').catch(() => undefined);
      await cg.waitEmpty(2000);
      cg.remove();
      const lines = await readCriuLogExcerpt(join(ctl, logName), 6);
      const detail = err instanceof JobStartError ? err.message.replace(/^job \S+ could not start: /, '') : (err as Error).message;
      const reason = `restore from checkpoint ${m.id} failed: ${detail}${lines.length ? ` (${lines.at(-1)})` : ''}; checkpoint kept`;
      await this.jobs.transition(r, 'failed', 'restore-failed', reason, { log: join(ctl, logName) }, { reason, jobPid: undefined });
      this.log.error({ gpid, id: m.id, lines }, 'restore failed');
      throw new RestoreError(gpid, detail, join(ctl, logName), lines);
    }
    const bad = await verifying;
    if (bad) {
      // A file does not match: the restored (still stopped) tree must never run.
      await this.undo(cg, filesDir, aside, movedAside);
      await rm(join(ctl, 'exit'), { force: true });
      throw bad;
    }
    mark('restored');
    // The tree was restored stopped (to verify first): resume it, except the processes the job
    // itself had stopped at the dump.
    if (opts.verify) resumeRestored(cg.pids(), m.stopped ?? []);
    if (movedAside) await rm(aside, { recursive: true, force: true });
    const done = await this.jobs.adopt(r, started, ev.type, ev.message, ev.fields ?? {});
    mark('adopted');
    this.log.debug({ gpid, marks }, 'restore timeline');
    return done;
  }

  /**
   * Start the supervisor for a restore of `dir` ahead of time (it waits for go()). Used by a
   * migration's destination as soon as the transfer begins, so process start-up is not part of
   * the job's downtime. The cgroups are created here too.
   */
  async prepare(gpid: string, dir: string, lazy: boolean): Promise<PreparedRestore> {
    const criu = await this.criu.get();
    const ctl = this.layout.ctlDir(gpid);
    mkdirSync(ctl, { recursive: true });
    this.jobs.cgroupOf(gpid).create();
    this.jobs.shimCgroup().create();
    return prepareRestore(this.shimPath, this.shimOptions(gpid, dir, criu, { logName: MIGRATION_RESTORE_LOG, lazy, leaveStopped: false }));
  }

  /** What the restore supervisor is started with: the job's ctl directory, cgroups and CRIU's argv. */
  private shimOptions(gpid: string, dir: string, criu: Criu, o: { logName: string; lazy: boolean; leaveStopped: boolean }): RestoreOptions {
    const ctl = this.layout.ctlDir(gpid);
    const pidfile = join(ctl, 'restore.pid');
    return {
      gpid,
      ctlDir: ctl,
      pidfile,
      jobCgroupProcs: this.jobs.cgroupOf(gpid).procsFiles(),
      shimCgroupProcs: this.jobs.shimCgroup().procsFiles(),
      criuArgv: criuArgv(criu, restoreArgs({ imagesDir: join(dir, 'images'), workDir: ctl, pidfile, ...o })),
    };
  }

  private async undo(cg: ReturnType<JobManager['cgroupOf']>, filesDir: string, aside: string, movedAside: boolean): Promise<void> {
    await cg.kill('SIGKILL').catch(() => undefined);
    await cg.waitEmpty(5000);
    cg.remove();
    if (movedAside) {
      await rm(filesDir, { recursive: true, force: true });
      await rename(aside, filesDir).catch(() => undefined);
    }
  }
}

/** SIGCONT to each of `pids` whose pid inside the job's namespace is not in `keepStopped`. */
function resumeRestored(pids: readonly number[], keepStopped: readonly number[]): void {
  for (const pid of pids) {
    const inner = innermostPid(pid);
    if (inner !== undefined && keepStopped.includes(inner)) continue;
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // already gone
    }
  }
}
