/**
 * The findings in words, derived from the measurements and the ANOVA rather than written by hand:
 * throughput against the physical upper bound, each factor's main effect, the significant
 * interactions, and a verdict on the seed's claim (preemptive migration keeps throughput high
 * whatever the placement strategy), with the numbers that support it.
 */
import type { AnovaTable } from '../stats/anova.js';
import { anovaEffect } from '../stats/anova.js';
import { formatP } from '../stats/format.js';
import type { Design } from '../design.js';
import type { FactorName } from '../config.js';
import type { RunRecord } from '../records.js';

const ALPHA = 0.05;
const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const se = (xs: readonly number[]): number => {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1) / xs.length);
};
const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '—');
const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(0)} %` : '—');

function meansBy(records: readonly RunRecord[], factor: FactorName, levels: readonly string[], pick: (r: RunRecord) => number): number[] {
  return levels.map((lv) => mean(records.filter((r) => r.cell.levels[factor] === lv).map(pick)));
}

/** "p = 0.0123", or "p < 0.0001". */
function pText(p: number | null): string {
  const t = formatP(p);
  return t.startsWith('<') ? `p ${t}` : `p = ${t}`;
}

function significance(p: number | null): string {
  if (p === null) return 'no test (no error term)';
  return `${pText(p)}, ${p < ALPHA ? 'significant' : 'not significant'} at α = ${ALPHA}`;
}

/** "Throughput and the upper bound" section. */
export function boundSection(design: Design, records: readonly RunRecord[]): string {
  const lines: string[] = [];
  const tp = records.map((r) => r.measures.throughput);
  const ub = records.map((r) => r.measures.upperBound);
  lines.push(
    `Over all ${records.length} runs, throughput averaged **${f1(mean(tp))} jobs per scaled hour** against a physical upper bound of ` +
      `**${f1(mean(ub))}** (Σ host capacity ÷ mean CPU demand per job): ${pct(mean(tp) / mean(ub))} of what the grid could do ` +
      'if no CPU-second were ever lost to an idle host, a waiting job or a migration.',
    '',
  );
  // The bound depends on the job mix only, so the table is by majority.
  const by: FactorName = 'majority';
  lines.push(`| ${by} | throughput (mean ± SE) | upper bound | throughput ÷ bound | completed in window (mean) |`, '| :--- | ---: | ---: | ---: | ---: |');
  for (const lv of design.levels[by]) {
    const rs = records.filter((r) => r.cell.levels[by] === lv);
    if (!rs.length) continue;
    const t = rs.map((r) => r.measures.throughput);
    lines.push(
      `| ${lv} | ${f1(mean(t))} ± ${f1(se(t))} | ${f1(mean(rs.map((r) => r.measures.upperBound)))} | ${pct(mean(rs.map((r) => r.measures.utilisation)))} | ${f1(mean(rs.map((r) => r.measures.completedInWindow)))} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

/** Main effects and interactions, in words, from the throughput ANOVA (or the raw means without one). */
export function effectsSection(design: Design, records: readonly RunRecord[], table: AnovaTable | undefined): string {
  const lines: string[] = [];
  for (const factor of design.varied) {
    const levels = design.levels[factor];
    const m = meansBy(records, factor, levels, (r) => r.measures.throughput);
    const row = table ? anovaEffect(table, [factor]) : undefined;
    const best = m.indexOf(Math.max(...m));
    const worst = m.indexOf(Math.min(...m));
    const change = (m[best] ?? NaN) / (m[worst] ?? NaN) - 1;
    lines.push(
      `- **${factor}** — ${levels.map((lv, i) => `${lv} ${f1(m[i] ?? NaN)}`).join(', ')} jobs/h` +
        (row ? ` (${significance(row.p)}, partial η² ${row.partialEtaSquared?.toFixed(2) ?? '—'}).` : '.') +
        (levels.length > 1 && Number.isFinite(change) ? ` ${levels[best]} is ${pct(change)} above ${levels[worst]}.` : ''),
    );
  }
  lines.push('');
  if (table) {
    const inter = table.rows.filter((r) => r.kind === 'effect' && r.factors.length > 1);
    const sig = inter.filter((r) => r.p !== null && r.p < ALPHA);
    if (!table.hasErrorTerm) {
      lines.push(`Interactions cannot be tested. ${table.notes.join(' ') || 'There is no error term.'} Read the interaction plots.`, '');
    } else if (sig.length === 0) lines.push(`No interaction is significant at α = ${ALPHA} (${inter.length} tested): the factors' effects on throughput add up.`, '');
    else {
      lines.push(`Significant interactions (α = ${ALPHA}): ${sig.map((r) => `${r.source} (${pText(r.p)})`).join('; ')}. ` + 'An interaction means the effect of one factor depends on the level of the other: read the interaction plots.', '');
      for (const r of sig.filter((x) => x.factors.length === 2)) lines.push(twoWayTable(design, records, r.factors[0] as FactorName, r.factors[1] as FactorName));
    }
  }
  return lines.join('\n');
}

function twoWayTable(design: Design, records: readonly RunRecord[], a: FactorName, b: FactorName): string {
  const la = design.levels[a];
  const lb = design.levels[b];
  const lines = [`Mean throughput, ${a} × ${b}:`, '', `| ${a} \\ ${b} | ${lb.join(' | ')} |`, `| :--- |${lb.map(() => ' ---: |').join('')}`];
  for (const x of la) {
    const cells = lb.map((y) => f1(mean(records.filter((r) => r.cell.levels[a] === x && r.cell.levels[b] === y).map((r) => r.measures.throughput))));
    lines.push(`| ${x} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

/** The seed's conclusion, tested: with migration, is throughput high whatever the placement? */
export function seedClaimSection(design: Design, records: readonly RunRecord[], table: AnovaTable | undefined): string {
  if (!design.varied.includes('migration') || !design.varied.includes('placement') || !design.levels.migration.includes('on') || !design.levels.migration.includes('off')) {
    return 'This design does not vary both migration and placement, so it cannot test the seed\'s claim.\n';
  }
  const places = design.levels.placement;
  const at = (mig: string): number[] => places.map((p) => mean(records.filter((r) => r.cell.levels.migration === mig && r.cell.levels.placement === p).map((r) => r.measures.throughput)));
  const off = at('off');
  const on = at('on');
  const spread = (xs: number[]): number => Math.max(...xs) - Math.min(...xs);
  const supported = spread(on) < spread(off) && Math.min(...on) >= Math.min(...off);
  const row = table ? anovaEffect(table, ['migration', 'placement']) : undefined;
  const mig = table ? anovaEffect(table, ['migration']) : undefined;
  const verdict = supported
    ? '**Supported**: with migration the worst placement strategy does at least as well as without, and the strategies lie closer together.'
    : `**Not supported by this run**: with migration the strategies ${spread(on) >= spread(off) ? 'are not closer together' : 'are closer together, but the worst does worse than without migration'}.`;
  const lines = [
    `The seed concludes that preemptive migration keeps throughput consistently high whatever the placement strategy. ` +
      `Here, without migration the placement strategies give ${places.map((p, i) => `${p} ${f1(off[i] ?? NaN)}`).join(', ')} jobs/h ` +
      `(a spread of ${f1(spread(off))}); with migration ${places.map((p, i) => `${p} ${f1(on[i] ?? NaN)}`).join(', ')} (a spread of ${f1(spread(on))}).`,
    '',
    verdict + (row ? ` The migration × placement interaction: ${significance(row.p)}; the main effect of migration: ${significance(mig?.p ?? null)}.` : ''),
    '',
  ];
  return lines.join('\n');
}

/** Migrations, slowdown, makespan and unfinished jobs per migration level, in a few lines. */
export function costSection(design: Design, records: readonly RunRecord[]): string {
  const lines: string[] = [];
  for (const lv of design.levels.migration) {
    const rs = records.filter((r) => r.cell.levels.migration === lv);
    if (!rs.length) continue;
    const censored = rs.filter((r) => r.measures.makespanCensored).length;
    lines.push(
      `- migration ${lv}: ${f1(mean(rs.map((r) => r.measures.migrations)))} migrations per run, mean slowdown ${mean(rs.map((r) => r.measures.meanSlowdown)).toFixed(2)}, ` +
        `makespan ${mean(rs.map((r) => r.measures.makespanH)).toFixed(2)} scaled hours` +
        (censored ? ` (${censored} of ${rs.length} runs stopped at the drain limit with jobs unfinished: their makespan is the limit)` : '') +
        `, ${f1(mean(rs.map((r) => r.measures.unfinished)))} jobs unfinished per run.`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
