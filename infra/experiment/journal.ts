/**
 * The run journal, `<out>/runs.jsonl`: the design's fingerprint, then every finished run in full,
 * one JSON line each, appended as the run ends. It lets `zinc-experiment run --resume` continue a
 * stopped experiment (Ctrl-C, a reboot, a failed run) where it stopped, instead of starting a
 * three-hour design again, and it keeps a second invocation from overwriting finished runs.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ExperimentConfig } from './config.js';
import { ExperimentOutputExistsError, ResumeMismatchError } from './errors.js';
import type { RunRecord } from './records.js';

export const JOURNAL_FILE = 'runs.jsonl';
const FORMAT = 1;

const headerSchema = z.object({ kind: z.literal('design'), format: z.literal(FORMAT), name: z.string(), fingerprint: z.string() });
// A run line is written by this module from a RunRecord; only its envelope is checked here.
const runLineSchema = z.object({ kind: z.literal('run'), record: z.object({ order: z.number().int().min(1) }).passthrough() });

/** What identifies a design: everything that decides which runs exist and what each one does. */
export function fingerprint(config: ExperimentConfig, mode: 'lab' | 'sim'): string {
  const { sourceDir: _sourceDir, ...rest } = config;
  return JSON.stringify({ ...rest, mode });
}

// JSON has no NaN or Infinity (a measure of a run where nothing finished can be NaN).
const replacer = (_k: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? { $num: String(v) } : v);
const reviver = (_k: string, v: unknown): unknown =>
  typeof v === 'object' && v !== null && '$num' in v && Object.keys(v).length === 1 ? Number((v as { $num: string }).$num) : v;

export class RunJournal {
  private constructor(
    readonly path: string,
    /** Runs an earlier invocation finished, in the order they finished. */
    readonly previous: readonly RunRecord[],
  ) {}

  /**
   * Open the journal in `outDir`. Without `resume`, a journal that already holds runs is an error
   * (nothing is overwritten); with it, the journal must exist and be of the same design.
   */
  static open(outDir: string, config: ExperimentConfig, mode: 'lab' | 'sim', resume: boolean): RunJournal {
    const path = join(outDir, JOURNAL_FILE);
    const fp = fingerprint(config, mode);
    if (!existsSync(path)) {
      if (resume) throw new ResumeMismatchError(outDir, `it has no ${JOURNAL_FILE} (no run of this experiment finished there)`);
      return RunJournal.create(path, config.name, fp);
    }
    const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const header = headerSchema.safeParse(parseLine(lines[0] ?? ''));
    const runs: RunRecord[] = [];
    for (const [i, line] of lines.slice(1).entries()) {
      const parsed = runLineSchema.safeParse(parseLine(line));
      // A line cut short by a crash mid-append can only be the last one: that run is run again.
      if (!parsed.success) {
        if (i === lines.length - 2) break;
        throw new ResumeMismatchError(outDir, `line ${i + 2} of ${JOURNAL_FILE} is not a finished run`);
      }
      runs.push(parsed.data.record as unknown as RunRecord);
    }
    if (!resume) {
      if (runs.length > 0) throw new ExperimentOutputExistsError(outDir, runs.length);
      return RunJournal.create(path, config.name, fp);
    }
    if (!header.success) throw new ResumeMismatchError(outDir, `${JOURNAL_FILE} does not start with a design header`);
    if (header.data.fingerprint !== fp) throw new ResumeMismatchError(outDir, describeDifference(header.data.fingerprint, fp));
    // Rewrite without a torn last line, so appends start on a line of their own.
    writeFileSync(path, [lines[0], ...runs.map(runLine)].join('\n') + '\n');
    return new RunJournal(path, runs);
  }

  private static create(path: string, name: string, fp: string): RunJournal {
    writeFileSync(path, JSON.stringify({ kind: 'design', format: FORMAT, name, fingerprint: fp }) + '\n');
    return new RunJournal(path, []);
  }

  /** The finished runs among the first `runs` of the randomised order (run orders are 1-based). */
  finishedAmongFirst(runs: number): RunRecord[] {
    return this.previous.filter((r) => r.order <= runs);
  }

  append(record: RunRecord): void {
    appendFileSync(this.path, runLine(record) + '\n');
  }
}

function runLine(record: RunRecord): string {
  return JSON.stringify({ kind: 'run', record }, replacer);
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line, reviver);
  } catch {
    return undefined;
  }
}

/** The first setting that differs, e.g. "replications: 2 there, 1 now". */
function describeDifference(was: string, now: string): string {
  const a = flatten(JSON.parse(was) as unknown);
  const b = flatten(JSON.parse(now) as unknown);
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    if (a.get(key) !== b.get(key)) return `its runs used ${key} = ${a.get(key) ?? '(unset)'}, this command ${b.get(key) ?? '(unset)'}`;
  }
  return 'its design differs from this one';
}

function flatten(v: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, JSON.stringify(v));
  return out;
}
