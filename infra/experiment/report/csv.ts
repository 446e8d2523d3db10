/**
 * runs.csv (one row per run, every factor and measure) and jobs.csv (one row per job per run),
 * written as the runs finish so that an interrupted experiment keeps what it measured. RFC 4180:
 * comma-separated, a header row, fields quoted when they hold a comma, quote or newline.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { FACTORS } from '../config.js';
import type { RunRecord } from '../records.js';

export const RUN_COLUMNS = [
  'order',
  'replication',
  'cell',
  ...FACTORS,
  'mode',
  'workload_seed',
  'run_seed',
  'arrivals',
  'submitted',
  'completed',
  'failed',
  'unfinished',
  'completed_in_window',
  'throughput_per_h',
  'upper_bound_per_h',
  'utilisation',
  'migrations',
  'placement_imbalance',
  'mean_slowdown',
  'makespan_h',
  'makespan_censored',
  'mean_demand_s',
  'wall_s',
  'notes',
] as const;

export const JOB_COLUMNS = ['order', 'job', 'class', 'cpu_ms', 'mem_bytes', 'submitted_ms', 'ended_ms', 'fate', 'migrations', 'first_host', 'final_host'] as const;

export function csvField(v: string | number | boolean): string {
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(Math.round(v * 1e6) / 1e6) : '') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(fields: ReadonlyArray<string | number | boolean>): string {
  return fields.map(csvField).join(',') + '\n';
}

export function runRow(r: RunRecord): Array<string | number | boolean> {
  const m = r.measures;
  return [
    r.order,
    r.replication,
    r.cell.index,
    ...FACTORS.map((f) => r.cell.levels[f]),
    r.mode,
    r.workloadSeed,
    r.runSeed,
    r.arrivals,
    m.submitted,
    m.completed,
    m.failed,
    m.unfinished,
    m.completedInWindow,
    m.throughput,
    m.upperBound,
    m.utilisation,
    m.migrations,
    m.imbalance,
    m.meanSlowdown,
    m.makespanH,
    m.makespanCensored,
    m.meanDemandS,
    r.wallMs / 1000,
    r.notes.join('; '),
  ];
}

/** Writes the header now and appends one row per run as it finishes. */
export class RunsCsv {
  constructor(readonly path: string) {
    writeFileSync(path, csvLine(RUN_COLUMNS));
  }

  append(r: RunRecord): void {
    appendFileSync(this.path, csvLine(runRow(r)));
  }
}

export class JobsCsv {
  constructor(readonly path: string) {
    writeFileSync(path, csvLine(JOB_COLUMNS));
  }

  append(r: RunRecord): void {
    const lines = r.outcomes.map((j) =>
      csvLine([r.order, j.id, j.cls, j.cpuMs, j.memBytes, j.submittedMs, j.endedMs ?? '', j.fate, j.migrations, j.firstHost, j.finalHost]),
    );
    appendFileSync(this.path, lines.join(''));
  }
}

/** Parses CSV text (RFC 4180) into rows of fields; for tests and `zinc-experiment report`. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
