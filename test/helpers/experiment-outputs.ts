/**
 * Checks that a zinc-experiment output directory is complete and well-formed: runs.csv with every
 * column and one row per run, anova.md with its table rows, every SVG well-formed XML, report.md
 * mentioning throughput and the upper bound. Shared by the unit report test and the lab smoke test.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_COLUMNS, parseCsv } from '../../infra/experiment/report/csv.js';
import { checkWellFormed } from './xml.js';

export interface OutputCheck {
  readonly rows: Array<Record<string, string>>;
  readonly svgs: string[];
  readonly anovaSources: string[];
  readonly report: string;
}

/** Throws with a precise message on the first problem; returns what it read. */
export function checkOutputs(dir: string, expect: { runs: number; factors: readonly string[]; mode: 'lab' | 'sim' }): OutputCheck {
  for (const f of ['runs.csv', 'anova.md', 'report.md', 'config.json', 'plots']) {
    if (!existsSync(join(dir, f))) throw new Error(`${f} is missing from ${dir}`);
  }
  const csv = parseCsv(readFileSync(join(dir, 'runs.csv'), 'utf8'));
  const header = csv[0] ?? [];
  if (header.join(',') !== RUN_COLUMNS.join(',')) throw new Error(`runs.csv header is ${header.join(',')}`);
  const body = csv.slice(1);
  if (body.length !== expect.runs) throw new Error(`runs.csv has ${body.length} rows, expected ${expect.runs}`);
  const rows = body.map((r, k) => {
    if (r.length !== header.length) throw new Error(`runs.csv row ${k + 1} has ${r.length} fields, expected ${header.length}`);
    return Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']));
  });
  for (const r of rows) {
    if (r.mode !== expect.mode) throw new Error(`run ${r.order} has mode ${r.mode}`);
    for (const col of ['throughput_per_h', 'upper_bound_per_h', 'migrations', 'completed', 'submitted']) {
      if (!Number.isFinite(Number(r[col])) || r[col] === '') throw new Error(`run ${r.order}: ${col} is "${r[col]}"`);
    }
  }
  const anova = readFileSync(join(dir, 'anova.md'), 'utf8');
  const anovaSources = [...anova.matchAll(/^\| ([^|]+?) \| [-0-9.e+—<]+/gm)].map((m) => (m[1] ?? '').trim()).filter((s) => s !== 'Source');
  for (const f of [...expect.factors, 'Error', 'Total']) if (!anovaSources.includes(f)) throw new Error(`anova.md has no row "${f}" (rows: ${anovaSources.join(', ')})`);
  if (!/\| Source \| SS \| df \| MS \| F \| p \|/.test(anova)) throw new Error('anova.md has no SS/df/MS/F/p table');
  const svgs = readdirSync(join(dir, 'plots')).filter((f) => f.endsWith('.svg'));
  if (svgs.length === 0) throw new Error('no plots');
  for (const f of svgs) {
    const els = checkWellFormed(readFileSync(join(dir, 'plots', f), 'utf8'));
    if (els[0] !== 'svg') throw new Error(`${f}: root is <${els[0]}>, not <svg>`);
  }
  const report = readFileSync(join(dir, 'report.md'), 'utf8');
  if (!/throughput/i.test(report) || !/upper bound/i.test(report)) throw new Error('report.md does not mention throughput and the upper bound');
  JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  return { rows, svgs, anovaSources, report };
}
