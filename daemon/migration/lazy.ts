/**
 * Post-copy (`zinc migrate --lazy`). The source dumps everything but memory and keeps serving the
 * pages from the frozen original (criu dump --lazy-pages, a page server); the destination restores
 * at once and a `criu lazy-pages` daemon fetches pages on demand and in the background. The source
 * keeps its frozen original until the last page has arrived, so a failure during post-copy can
 * still roll back to it.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import { parseHostPort } from '../config/schema.js';
import { readCriuLogExcerpt } from '../criu/probe.js';
import { criuArgv, type Criu } from '../checkpoint/criu-binary.js';
import { CRIU_LOG_POSTCOPY } from '../checkpoint/criu-commands.js';
import { spawnGuarded, type GuardedHelper } from '../criu/guarded.js';

/** Destination side: the lazy-pages daemon for one restore. Start it before `criu restore --lazy-pages`. */
export class LazyRestore {
  private helper: GuardedHelper | undefined;
  private exited: Promise<number | null> | undefined;

  /** `workDir` must be the restore's work directory: the two meet on its lazy-pages.socket. */
  constructor(
    private readonly ckptDir: string,
    private readonly workDir: string,
    private readonly source: string,
    /** zinc-shim: until keep(), the daemon dies with zincd instead of waiting for ever for a restore. */
    private readonly shimPath: string,
    private readonly log: Logger,
  ) {}

  async start(criu: Criu): Promise<void> {
    const hp = parseHostPort(this.source);
    if (!hp) throw new Error(`bad page server address ${this.source}`);
    const images = join(this.ckptDir, 'images');
    await mkdir(this.workDir, { recursive: true });
    await rm(join(this.workDir, 'lazy-pages.socket'), { force: true });
    const argv = criuArgv(criu, [
      'lazy-pages', '--page-server', '--address', hp.host, '--port', String(hp.port), '-D', images, '-W', this.workDir, '-o', 'lazy-pages.log', CRIU_LOG_POSTCOPY, '--status-fd', '3',
    ]);
    this.helper = spawnGuarded(this.shimPath, argv, ['ignore', 'ignore', 'pipe']);
    const child = this.helper.child;
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    // CRIU writes to --status-fd once it listens for the restore (or exits on failure).
    await new Promise<void>((resolve, reject) => {
      const status = child.stdio[3];
      const timer = setTimeout(() => reject(new Error('criu lazy-pages did not start within 20 s')), 20_000);
      status?.once('data', () => {
        clearTimeout(timer);
        resolve();
      });
      void this.exited?.then(async (code) => {
        clearTimeout(timer);
        const lines = await readCriuLogExcerpt(join(this.workDir, 'lazy-pages.log'), 4);
        reject(new Error(`criu lazy-pages exited (${code}) before the restore: ${lines.join(' | ')}`));
      });
    });
  }

  /** Resolves when every page has arrived (the daemon exits 0). */
  async done(): Promise<void> {
    const code = await this.exited;
    if (code !== 0 && code !== null) {
      const lines = await readCriuLogExcerpt(join(this.workDir, 'lazy-pages.log'), 4);
      this.log.warn({ code, lines }, 'criu lazy-pages ended with an error');
      throw new Error(`post-copy failed (criu lazy-pages exit ${code}): ${lines.join(' | ')}`);
    }
  }

  /** The restore is about to use it: from now on it must finish even if zincd dies. */
  keep(): Promise<void> {
    return this.helper?.keep() ?? Promise.resolve();
  }

  stop(): void {
    this.helper?.kill();
  }
}
