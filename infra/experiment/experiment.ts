/**
 * Runs a design: every planned run in its randomised order, on the lab or in the simulator, each
 * measured the same way and appended to runs.csv as soon as it ends. A lab run that fails is
 * retried once on a fresh lab (a daemon that did not start in time on a busy machine should not
 * cost a three-hour experiment); a second failure stops the experiment with the error.
 */
import { loadavg } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { hostsOf, measureWindow, totalCapacity, type ExperimentConfig } from './config.js';
import { makeDesign, majorityOf, type Design, type PlannedRun } from './design.js';
import { ExperimentAbortedError, RunFailedError } from './errors.js';
import type { RunJournal } from './journal.js';
import { runOnLab } from './lab-runner.js';
import { bestSingleJobRate, computeMeasures } from './measures.js';
import type { Progress } from './progress.js';
import type { RunRecord } from './records.js';
import { JobsCsv, RunsCsv } from './report/csv.js';
import type { RunResult } from './run-result.js';
import { simulateRun } from './sim/simulate.js';
import { generateWorkload, type Workload } from './workload/generator.js';
import { readSwf, type SwfTrace } from './workload/swf.js';

export interface DesignRunOptions {
  readonly config: ExperimentConfig;
  readonly mode: 'lab' | 'sim';
  /** Where runs.csv (and jobs.csv, lab-logs/) go; undefined writes nothing (the comparison sims). */
  readonly outDir?: string;
  /** Stop after this many runs of the randomised order (to time a partial run). */
  readonly maxRuns?: number;
  readonly signal: AbortSignal;
  readonly progress?: Progress;
  readonly keepLogs?: boolean;
  /** The name written to runs.csv ("runs.csv", or "sim-runs.csv" for the comparison). */
  readonly csvName?: string;
  /** Where every finished run is kept (the experiment itself, not the comparison sims). Runs it
   * already holds (--resume) are kept, not run again. */
  readonly journal?: RunJournal;
}

export interface DesignResult {
  readonly design: Design;
  readonly records: readonly RunRecord[];
  /** True when every planned run finished. */
  readonly complete: boolean;
  /** Wall time of this invocation (resumed runs' time is in their own records). */
  readonly wallMs: number;
  /** How many of the records an earlier invocation finished (--resume). */
  readonly resumed: number;
  /** Load average of the machine when the runs started and ended (lab runs share it with everything else). */
  readonly loadavg: { readonly start: number; readonly end: number };
}

export function loadTrace(config: ExperimentConfig): SwfTrace | undefined {
  const a = config.workload.arrivals;
  if (a.kind !== 'swf') return undefined;
  return readSwf(isAbsolute(a.file) ? a.file : resolve(config.sourceDir, a.file));
}

export function workloadFor(config: ExperimentConfig, run: PlannedRun, trace: SwfTrace | undefined): Workload {
  return generateWorkload({
    config,
    majority: majorityOf(run.cell),
    seed: run.workloadSeed,
    capacity: totalCapacity(config.topology),
    trace,
    traceName: config.workload.arrivals.kind === 'swf' ? config.workload.arrivals.file : undefined,
  });
}

function summary(r: RunRecord): string {
  const m = r.measures;
  return (
    `${m.throughput.toFixed(1)} jobs/h (bound ${m.upperBound.toFixed(1)}), ${m.completed}/${m.submitted} completed` +
    `${m.unfinished ? `, ${m.unfinished} unfinished` : ''}${m.failed ? `, ${m.failed} failed` : ''}, ${m.migrations} migrations`
  );
}

export async function runDesign(o: DesignRunOptions): Promise<DesignResult> {
  const { config, mode, signal } = o;
  const design = makeDesign(config);
  const planned = o.maxRuns !== undefined ? design.runs.slice(0, o.maxRuns) : design.runs;
  const trace = loadTrace(config);
  const hosts = hostsOf(config.topology);
  const capacity = totalCapacity(config.topology);
  const bestRate = bestSingleJobRate(hosts);
  const hostCapacity = new Map(hosts.map((h) => [h.id, h.cores * h.speed] as const));
  const window = measureWindow(config);
  const journal = o.journal;
  const runsCsv = o.outDir ? new RunsCsv(join(o.outDir, o.csvName ?? 'runs.csv')) : undefined;
  const jobsCsv = o.outDir && mode === 'lab' ? new JobsCsv(join(o.outDir, 'jobs.csv')) : undefined;
  const records: RunRecord[] = journal?.finishedAmongFirst(planned.length) ?? [];
  const done = new Set(records.map((r) => r.order));
  for (const r of records) {
    runsCsv?.append(r);
    jobsCsv?.append(r);
  }
  const start = Date.now();
  const loadStart = loadavg1();

  for (const run of planned) {
    if (signal.aborted) break;
    if (done.has(run.order)) continue;
    o.progress?.runStarted(run.order, run.cell.label, run.replication);
    const workload = workloadFor(config, run, trace);
    let result: RunResult | undefined;
    for (let attempt = 1; !result; attempt++) {
      try {
        result = await runOne(o, run, workload);
      } catch (err) {
        if (signal.aborted) break;
        if (attempt >= 2) throw new RunFailedError(run.order, run.cell.label, err instanceof Error ? err.message : String(err), err);
        o.progress?.note(`run ${run.order} failed (${err instanceof Error ? err.message : String(err)}); retrying on a fresh lab`);
      }
    }
    if (!result) break;
    const measures = computeMeasures(result.outcomes, {
      timeScale: config.timeScale,
      windowMs: { from: window.from * 1000, to: window.to * 1000 },
      capacity,
      bestRate,
      stoppedMs: result.stoppedMs,
      hostCapacity,
    });
    const record: RunRecord = {
      order: run.order,
      replication: run.replication,
      cell: run.cell,
      mode,
      workloadSeed: run.workloadSeed,
      runSeed: run.runSeed,
      arrivals: workload.jobs.length,
      measures,
      outcomes: result.outcomes,
      migrations: result.migrations,
      wallMs: result.wallMs,
      notes: result.notes,
    };
    records.push(record);
    journal?.append(record);
    runsCsv?.append(record);
    jobsCsv?.append(record);
    o.progress?.runFinished(run.order, summary(record));
  }
  if (signal.aborted && records.length < planned.length && o.outDir) {
    // Keep going to the report with what we have; the caller decides whether that is an error.
    o.progress?.note(new ExperimentAbortedError(records.length, design.runs.length, o.outDir).toUserLine());
  }
  return {
    design,
    records,
    complete: records.length === design.runs.length,
    wallMs: Date.now() - start,
    resumed: done.size,
    loadavg: { start: loadStart, end: loadavg1() },
  };
}

async function runOne(o: DesignRunOptions, run: PlannedRun, workload: Workload): Promise<RunResult> {
  if (o.mode === 'sim') {
    const t = Date.now();
    const r = simulateRun({ config: o.config, run, workload });
    // Let Ctrl-C and progress redraws in between long simulations.
    await new Promise((res) => setImmediate(res));
    return { outcomes: r.outcomes, stoppedMs: r.stoppedMs, migrations: r.migrations, wallMs: Date.now() - t, notes: [] };
  }
  return runOnLab({
    config: o.config,
    run,
    workload,
    signal: o.signal,
    logsDir: o.outDir ? join(o.outDir, 'lab-logs') : undefined,
    keepLogs: o.keepLogs,
    onStatus: (s) => o.progress?.status(`${s.phase}${s.total ? ` ${s.submitted}/${s.total} submitted, ${s.ended} ended` : ''}`),
  });
}

function loadavg1(): number {
  return loadavg()[0] ?? NaN;
}
