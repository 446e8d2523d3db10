/**
 * Progress of an experiment: the current run and cell, the elapsed time and an ETA. On a terminal
 * it is one live bar (cli-progress, redrawn every second); otherwise (CI, a log file) plain lines
 * when a run starts and ends. The ETA is the mean duration of the runs finished so far times the
 * runs left, minus the time the current run has already taken; before the first run ends it uses
 * the planned duration of a run.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  runStarted(order: number, cell: string, replication: number): void;
  /** What the current run is doing (e.g. "jobs arriving 23/61, 12 ended"). */
  status(text: string): void;
  runFinished(order: number, summary: string): void;
  /** A line that must be seen (a retry, a warning). */
  note(line: string): void;
  stop(): void;
}

export interface ProgressOptions {
  readonly total: number;
  /** Runs an earlier invocation already finished (--resume); counted as done, not timed. */
  readonly done?: number;
  /** The planned wall time of one run, ms (used until a run has finished). */
  readonly plannedRunMs: number;
  readonly tty?: boolean;
  readonly stream?: NodeJS.WriteStream;
  readonly clock?: () => number;
}

export function formatClock(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '--:--:--';
  const s = Math.round(ms / 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(Math.floor(s / 3600))}:${p(Math.floor((s % 3600) / 60))}:${p(s % 60)}`;
}

/** Remaining time: mean finished-run time (or the plan) × runs left, minus the current run's progress. */
export function eta(o: { total: number; finished: number; finishedMs: number; currentMs: number; plannedRunMs: number }): number {
  const per = o.finished > 0 ? o.finishedMs / o.finished : o.plannedRunMs;
  const left = o.total - o.finished;
  return Math.max(0, per * left - o.currentMs);
}

export function createProgress(o: ProgressOptions): Progress {
  const stream = o.stream ?? process.stderr;
  const clock = o.clock ?? Date.now;
  const tty = o.tty ?? Boolean(stream.isTTY);
  const start = clock();
  const done = o.done ?? 0;
  let running = false;
  let finished = 0;
  let finishedMs = 0;
  let runStart = start;
  let cell = '';
  let replication = 0;
  let statusText = '';
  let stopped = false;
  const times = (): { elapsed: string; eta: string } => {
    const now = clock();
    return {
      elapsed: formatClock(now - start),
      eta: formatClock(eta({ total: o.total - done, finished, finishedMs, currentMs: running ? now - runStart : 0, plannedRunMs: o.plannedRunMs })),
    };
  };

  if (!tty) {
    const line = (text: string): void => {
      stream.write(`zinc-experiment: ${text}\n`);
    };
    return {
      runStarted(n, c, r) {
        running = true;
        runStart = clock();
        const t = times();
        line(`run ${n}/${o.total} (${c}, replication ${r}) started; elapsed ${t.elapsed}, ETA ${t.eta}`);
      },
      status() {
        // Plain output stays quiet between a run's start and end.
      },
      runFinished(n, summary) {
        finished++;
        running = false;
        finishedMs += clock() - runStart;
        line(`run ${n}/${o.total} done in ${Math.round((clock() - runStart) / 1000)} s: ${summary}`);
      },
      note: line,
      stop() {
        if (stopped) return;
        stopped = true;
        const t = times();
        line(`finished ${done + finished}/${o.total} runs${done ? ` (${done} resumed)` : ''} in ${t.elapsed}`);
      },
    };
  }

  const bar = new cliProgress.SingleBar(
    {
      format: 'run {value}/{total} {bar} {cell} rep {rep} | {status} | elapsed {elapsed} | ETA {eta}',
      barsize: 20,
      hideCursor: true,
      stream,
      forceRedraw: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const payload = (): Record<string, string | number> => ({ cell, rep: replication, status: statusText, ...times() });
  bar.start(o.total, done, payload());
  const timer = setInterval(() => bar.update(done + finished, payload()), 1000);
  timer.unref();
  return {
    runStarted(n, c, r) {
      cell = c;
      replication = r;
      statusText = 'starting';
      running = true;
      runStart = clock();
      bar.update(done + finished, payload());
    },
    status(text) {
      statusText = text;
    },
    runFinished() {
      finished++;
      running = false;
      finishedMs += clock() - runStart;
      bar.update(done + finished, payload());
    },
    note(text) {
      // Printed above the bar, which redraws below it.
      stream.write(`\r\x1b[K${text}\n`);
      bar.update(done + finished, payload());
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      bar.update(done + finished, payload());
      bar.stop();
    },
  };
}
