/**
 * Source side of post-copy: `criu dump --lazy-pages` writes every image except memory, then
 * stays up as a page server that the destination's `criu lazy-pages` pulls pages from. The
 * original tree stays frozen (cgroup) until the page server has served everything and exited,
 * so a destination that fails mid-way can still be rolled back to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { copyTree } from '../store/copy-tree.js';
import { makeManifest } from '../checkpoint/checkpointer.js';
import { criuArgv, type CriuResolver } from '../checkpoint/criu-binary.js';
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
    let t = performance.now();
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
    const child: ChildProcess = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdio[3]?.once('data', () => resolve());
      void exited.then(async (code) => {
        const lines = await readCriuLogExcerpt(join(dir, 'dump.log'), 5);
        reject(new Error(`criu dump --lazy-pages exited (${code}) before serving pages: ${lines.join(' | ')}`));
      });
    });
    phases.dump = performance.now() - t;
    await cg.freeze();
    t = performance.now();
    // CRIU has stopped the tree and dumped it: the files are exactly as at the dump.
    await copyTree(filesDir, join(dir, 'files'));
    phases.files = performance.now() - t;
    t = performance.now();
    const files = await listTree(dir, ['images', 'files'], true);
    phases.hash = performance.now() - t;
    const manifest = makeManifest({ id: 'lazy', job: r, filesDir, host: this.hostId, domain: this.domain, criuVersion: criu.version.text, leaveRunning: true, lazy: true, files, external });
    await this.store.writeManifest(dir, manifest, false);
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
      stop: () => {
        if (child.exitCode === null) child.kill('SIGKILL');
      },
    };
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
