/**
 * Source side of post-copy: `criu dump --lazy-pages` writes every image except memory, then
 * stays up as a page server that the destination's `criu lazy-pages` pulls pages from. The
 * original tree stays frozen (cgroup) until the page server has served everything and exited,
 * so a destination that fails mid-way can still be rolled back to it.
 */
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { copyTree } from '../store/copy-tree.js';
import { makeManifest } from '../checkpoint/checkpointer.js';
import { criuArgv, type CriuResolver } from '../checkpoint/criu-binary.js';
import { spawnGuarded } from '../criu/guarded.js';
import { criuExecutables, releaseSeizedJob } from '../criu/seized.js';
import { dumpArgs } from '../checkpoint/criu-commands.js';
import { externalFiles } from '../checkpoint/external-files.js';
import { listTree } from '../checkpoint/hashing.js';
import type { Manifest } from '../checkpoint/manifest.js';
import type { CheckpointStore } from '../checkpoint/store.js';
import { probeCriu, readCriuLogExcerpt } from '../criu/probe.js';
import type { JobManager } from '../jobs/manager.js';
import type { JobRecord } from '../jobs/record.js';
import type { Logger } from '../log.js';
import type { StateLayout } from '../store/layout.js';

export interface LazySource {
  manifest: Manifest;
  /** HOST:PORT of the page server, for the destination's lazy-pages daemon. */
  address: string;
  phases: Record<string, number>;
  /** Resolves when the page server has served every page (ok) or failed. */
  finished(): Promise<{ ok: boolean; reason: string }>;
  /** The destination may restore from these pages now: from here on the page server must
   * finish its work even if zincd dies (until now it dies with zincd, releasing the job). */
  commit(): Promise<void>;
  stop(): void;
}

export class LazyDumper {
  private availability: Promise<string | undefined> | undefined;

  constructor(
    private readonly hostId: string,
    private readonly domain: string,
    private readonly layout: StateLayout,
    private readonly jobs: JobManager,
    private readonly store: CheckpointStore,
    private readonly criu: CriuResolver,
    /** The address this host's peers reach it at; the page server listens there. */
    private readonly listenHost: string,
    /** zinc-shim, whose guard mode ties the page server's life to zincd's until the commit. */
    private readonly shimPath: string,
    private readonly log: Logger,
  ) {}

  /** Why post-copy cannot work here, or undefined if it can. */
  unavailable(): Promise<string | undefined> {
    this.availability ??= (async () => {
      try {
        const c = await this.criu.get();
        const p = await probeCriu(c.path);
        if (p.lazyPages.available) return undefined;
        if (!p.lazyPages.uffdNoncoop.ok) return `the kernel lacks userfaultfd support (${p.lazyPages.uffdNoncoop.summary})`;
        return 'fs.pipe-max-size must be ≥ 64 MiB and fs.pipe-user-pages-soft 0 (run criu/install as root)';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    return this.availability;
  }

  /** Choose the page server's address before the dump, so the destination can be told early. */
  async reserve(): Promise<{ address: string; port: number }> {
    const port = await freePort(this.listenHost);
    return { address: `${this.listenHost.includes(':') ? `[${this.listenHost}]` : this.listenHost}:${port}`, port };
  }

  async dump(r: JobRecord, dir: string, at: { address: string; port: number }): Promise<LazySource> {
    const criu = await this.criu.get();
    const port = at.port;
    const images = join(dir, 'images');
    await mkdir(images, { recursive: true });
    const cg = this.jobs.cgroupOf(r.gpid);
    const filesDir = this.layout.filesDir(r.gpid);
    const phases: Record<string, number> = { freeze: 0 };
    const t = performance.now();
    const external = externalFiles(cg.pids(), filesDir);
    // CRIU stops the tree itself (ptrace) once it has started, so its start-up (~10 ms) is not
    // part of the job's downtime; it leaves the tree *stopped* after serving the last page, and the
    // cgroup is frozen as well as soon as the dump is ready, so the original never runs again
    // unless a rollback continues it (thaw + SIGCONT). (Freezing through the cgroup from inside
    // CRIU measured slower: its freezer polling adds up to ~100 ms.)
    const args = [
      ...dumpArgs({ pid: r.jobPid ?? 0, imagesDir: images, workDir: dir, logName: 'dump.log', leaveRunning: true, leaveStopped: true, freezeCgroup: undefined, lazy: { address: this.listenHost, port } }),
      '--status-fd', '3',
    ];
    const argv = criuArgv(criu, args);
    // Under the guard: an orphaned dump would keep the job seized for ever (issue 11).
    const helper = spawnGuarded(this.shimPath, argv, ['ignore', 'ignore', 'pipe']);
    const child = helper.child;
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let manifest: Manifest;
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdio[3]?.once('data', () => resolve());
        void exited.then(async (code) => {
          const lines = await readCriuLogExcerpt(join(dir, 'dump.log'), 5);
          reject(new Error(`criu dump --lazy-pages exited (${code}) before serving pages: ${lines.join(' | ')}`));
        });
      });
      phases.dump = performance.now() - t;
      await cg.freeze();
      let tp = performance.now();
      // CRIU has stopped the tree and dumped it: the files are exactly as at the dump.
      await copyTree(filesDir, join(dir, 'files'));
      phases.files = performance.now() - tp;
      tp = performance.now();
      const files = await listTree(dir, ['images', 'files'], true);
      phases.hash = performance.now() - tp;
      manifest = makeManifest({ id: 'lazy', job: r, filesDir, host: this.hostId, domain: this.domain, criuVersion: criu.version.text, leaveRunning: true, lazy: true, files, external });
      await this.store.writeManifest(dir, manifest, false);
    } catch (err) {
      // Nobody else holds the helper yet: it must not keep the job seized after a failure here.
      helper.kill();
      throw err;
    }
    this.log.info({ gpid: r.gpid, port, bytes: manifest.totalBytes, phases }, 'post-copy dump ready; serving pages');
    return {
      manifest,
      address: at.address,
      phases,
      finished: async () => {
        const code = await exited;
        if (code === 0) return { ok: true, reason: '' };
        const lines = await readCriuLogExcerpt(join(dir, 'dump.log'), 4);
        return { ok: false, reason: `page server exit ${code}: ${lines.join(' | ')}` };
      },
      commit: () => helper.keep(),
      stop: () => helper.kill(),
    };
  }

  /**
   * Make sure no CRIU dump of this migration (post-copy or not) still seizes the job, e.g. one
   * a killed zincd left behind: kill it and wait until it is gone. A rollback must do this before
   * it thaws and continues the job, since neither ends a ptrace stop.
   */
  async release(gpid: string, ckptDir: string): Promise<number[]> {
    const criu = await this.criu.get();
    const cg = this.jobs.cgroupOf(gpid);
    return releaseSeizedJob({
      gpid,
      pids: () => cg.pids(),
      // The post-copy dump writes to DIR/images, the checkpointer's to DIR.partial/images.
      own: { exes: criuExecutables(criu), imagesDirs: [join(ckptDir, 'images'), join(`${ckptDir}.partial`, 'images')] },
      log: this.log,
    });
  }
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
