/**
 * Periodic checkpoints (`zinc submit --checkpoint-every D --keep N`): every D, each running job
 * that asked for it is checkpointed with --leave-running; only the newest N are kept. A failed
 * periodic checkpoint is logged in the job's events and retried next period.
 */
import type { Logger } from '../log.js';
import type { JobManager } from '../jobs/manager.js';
import { errorMessage } from '../common/zinc-error.js';
import type { Checkpointer } from './checkpointer.js';

export class PeriodicCheckpoints {
  private timer: NodeJS.Timeout | undefined;
  private readonly busy = new Set<string>();

  constructor(private readonly jobs: JobManager, private readonly checkpointer: Checkpointer, private readonly log: Logger, private readonly tickMs = 250) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private tick(): void {
    const now = Date.now();
    for (const r of this.jobs.live()) {
      const every = r.spec.checkpointEveryMs;
      if (!every || r.state !== 'running' || this.busy.has(r.gpid)) continue;
      const last = Math.max(r.checkpoints.at(-1)?.at ?? 0, r.startedAt ?? 0);
      if (now - last < every) continue;
      this.busy.add(r.gpid);
      this.checkpointer
        .checkpoint(r.gpid, { leaveRunning: true, periodic: true })
        .catch((err: unknown) => this.log.warn({ gpid: r.gpid, err: errorMessage(err) }, 'periodic checkpoint failed'))
        .finally(() => this.busy.delete(r.gpid));
    }
  }
}
