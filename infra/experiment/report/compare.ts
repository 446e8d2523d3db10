/**
 * How the simulator agrees with the lab on the same configuration: the same design, the same
 * workloads (same seeds), the same policy code. Compared per cell (mean throughput over the
 * replications), in aggregate (mean absolute difference, correlation across cells), and on what
 * the study concludes (does each factor rank its levels the same way in both?).
 */
import type { Design } from '../design.js';
import type { FactorName } from '../config.js';
import type { RunRecord } from '../records.js';

export interface CellComparison {
  readonly label: string;
  readonly lab: number;
  readonly sim: number;
  readonly labMigrations: number;
  readonly simMigrations: number;
}

export interface EffectAgreement {
  readonly factor: FactorName;
  readonly levels: readonly string[];
  readonly lab: readonly number[];
  readonly sim: readonly number[];
  /** Both rank the levels in the same order. */
  readonly sameOrder: boolean;
}

export interface Comparison {
  readonly cells: readonly CellComparison[];
  readonly labMean: number;
  readonly simMean: number;
  /** Mean of |sim − lab| ÷ lab over cells, %. */
  readonly meanAbsPct: number;
  /** Pearson correlation of the cell means; NaN with fewer than 3 cells or no spread. */
  readonly r: number;
  readonly effects: readonly EffectAgreement[];
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

function pearson(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length < 3) return NaN;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    const y = ys[i] ?? 0;
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  });
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

function rank(xs: readonly number[]): number[] {
  return xs.map((_, i) => i).sort((a, b) => (xs[b] ?? 0) - (xs[a] ?? 0));
}

export function compareRuns(design: Design, lab: readonly RunRecord[], sim: readonly RunRecord[]): Comparison {
  const cells: CellComparison[] = [];
  for (const cell of design.cells) {
    const l = lab.filter((r) => r.cell.index === cell.index);
    const s = sim.filter((r) => r.cell.index === cell.index);
    if (l.length === 0 || s.length === 0) continue;
    cells.push({
      label: cell.label,
      lab: mean(l.map((r) => r.measures.throughput)),
      sim: mean(s.map((r) => r.measures.throughput)),
      labMigrations: mean(l.map((r) => r.measures.migrations)),
      simMigrations: mean(s.map((r) => r.measures.migrations)),
    });
  }
  const effects: EffectAgreement[] = design.varied.map((factor) => {
    const levels = design.levels[factor];
    const by = (rs: readonly RunRecord[]): number[] => levels.map((lv) => mean(rs.filter((r) => r.cell.levels[factor] === lv).map((r) => r.measures.throughput)));
    const l = by(lab);
    const s = by(sim);
    return { factor, levels, lab: l, sim: s, sameOrder: rank(l).join() === rank(s).join() };
  });
  return {
    cells,
    labMean: mean(cells.map((c) => c.lab)),
    simMean: mean(cells.map((c) => c.sim)),
    meanAbsPct: mean(cells.filter((c) => c.lab > 0).map((c) => (100 * Math.abs(c.sim - c.lab)) / c.lab)),
    r: pearson(
      cells.map((c) => c.lab),
      cells.map((c) => c.sim),
    ),
    effects,
  };
}

const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '—');

export function renderComparison(c: Comparison, what: string): string {
  const lines: string[] = [];
  const agree = c.effects.filter((e) => e.sameOrder).length;
  lines.push(
    `The simulator ran ${what} with the same workloads (same seeds) and zinc's own placement and balancer code. ` +
      `Mean throughput over the cells: lab ${f1(c.labMean)}, simulator ${f1(c.simMean)} jobs per scaled hour ` +
      `(${c.simMean >= c.labMean ? '+' : ''}${f1((100 * (c.simMean - c.labMean)) / c.labMean)} %); ` +
      `cell by cell the two differ by ${f1(c.meanAbsPct)} % on average` +
      (Number.isFinite(c.r) ? `, and their cell means correlate with r = ${c.r.toFixed(2)}.` : '.'),
    '',
    c.effects.length
      ? `On the conclusions: ${agree} of ${c.effects.length} factors rank their levels the same way in both ` +
          `(${c.effects.map((e) => `${e.factor}: ${e.sameOrder ? 'same' : 'different'}`).join('; ')}).`
      : '',
    '',
    '| cell | lab throughput | sim throughput | difference | lab migrations | sim migrations |',
    '| :--- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const cell of c.cells) {
    const d = cell.lab > 0 ? `${cell.sim >= cell.lab ? '+' : ''}${f1((100 * (cell.sim - cell.lab)) / cell.lab)} %` : '—';
    lines.push(`| ${cell.label} | ${f1(cell.lab)} | ${f1(cell.sim)} | ${d} | ${f1(cell.labMigrations)} | ${f1(cell.simMigrations)} |`);
  }
  lines.push('');
  if (c.effects.length) {
    lines.push('| factor | level | lab | sim |', '| :--- | :--- | ---: | ---: |');
    for (const e of c.effects) e.levels.forEach((lv, i) => lines.push(`| ${e.factor} | ${lv} | ${f1(e.lab[i] ?? NaN)} | ${f1(e.sim[i] ?? NaN)} |`));
    lines.push('');
  }
  return lines.join('\n');
}
