/**
 * The figures: the interaction plots the seed draws (its figures 6.3–6.9), for whichever of their
 * factors vary, any other pair of varied factors, and measured throughput next to the physical
 * upper bound. SVG, drawn by infra/experiment/plots.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { barPlot } from '../plots/bar-plot.js';
import { interactionPlot } from '../plots/interaction-plot.js';
import type { Observation } from '../stats/design.js';
import type { Design } from '../design.js';
import type { FactorName } from '../config.js';
import type { RunRecord } from '../records.js';
import { levelOrder, observations, RESPONSE_LABEL } from './observations.js';

export interface Figure {
  /** Relative to the output directory, e.g. "plots/interaction-majority-entry.svg". */
  readonly file: string;
  readonly caption: string;
}

const NAMES: Record<FactorName, string> = {
  migration: 'Preemptive migration',
  placement: 'Placement strategy',
  entry: 'Point of entry',
  majority: 'Length of the job majority',
};

interface Spec {
  readonly x: FactorName;
  readonly trace: FactorName;
  readonly panel?: FactorName;
  readonly caption: string;
}

/** The seed's plots first, then every remaining pair of varied factors. */
export function plotSpecs(varied: readonly FactorName[]): Spec[] {
  const has = (f: FactorName): boolean => varied.includes(f);
  const specs: Spec[] = [];
  if (has('migration') && has('placement')) {
    specs.push({
      x: 'migration',
      trace: 'placement',
      ...(has('entry') ? { panel: 'entry' as const } : {}),
      caption: has('entry') ? 'Migration × placement at each point of entry (the seed\'s figures 6.3–6.5)' : 'Migration × placement',
    });
    if (has('majority')) specs.push({ x: 'migration', trace: 'placement', panel: 'majority', caption: 'Migration × placement for each majority (the seed\'s figures 6.7–6.9)' });
  }
  if (has('majority') && has('entry')) specs.push({ x: 'majority', trace: 'entry', caption: 'Job-length majority × point of entry (the seed\'s figure 6.6)' });
  const drawn = new Set(specs.map((s) => [s.x, s.trace].sort().join('|')));
  for (let i = 0; i < varied.length; i++) {
    for (let j = i + 1; j < varied.length; j++) {
      const a = varied[i] as FactorName;
      const b = varied[j] as FactorName;
      if (drawn.has([a, b].sort().join('|'))) continue;
      specs.push({ x: a, trace: b, caption: `${NAMES[a]} × ${NAMES[b].toLowerCase()}` });
    }
  }
  return specs;
}

export function writePlots(outDir: string, design: Design, records: readonly RunRecord[]): Figure[] {
  if (records.length === 0) return [];
  const dir = join(outDir, 'plots');
  mkdirSync(dir, { recursive: true });
  const figures: Figure[] = [];
  const levels = levelOrder(design);
  const rows = observations(records, [...design.factors], 'throughput');
  for (const s of plotSpecs(design.varied)) {
    const name = `interaction-${s.x}-${s.trace}${s.panel ? `-by-${s.panel}` : ''}.svg`;
    const svg = interactionPlot({
      rows,
      x: s.x,
      trace: s.trace,
      ...(s.panel ? { panel: s.panel } : {}),
      levels,
      title: `${NAMES[s.x]} × ${NAMES[s.trace].toLowerCase()}${s.panel ? ` by ${NAMES[s.panel].toLowerCase()}` : ''}`,
      xLabel: NAMES[s.x],
      yLabel: RESPONSE_LABEL.throughput,
      errorBars: design.replications > 1 ? 'se' : 'none',
    });
    writeFileSync(join(dir, name), svg);
    figures.push({ file: `plots/${name}`, caption: s.caption });
  }
  // Measured throughput beside the bound, by majority (the bound depends on the job mix only).
  const by: FactorName = design.varied.includes('majority') ? 'majority' : (design.varied[0] ?? 'majority');
  const boundRows: Observation[] = records.flatMap((r) => [
    { factors: { [by]: r.cell.levels[by], series: 'measured' }, y: r.measures.throughput },
    { factors: { [by]: r.cell.levels[by], series: 'upper bound' }, y: r.measures.upperBound },
  ]);
  const svg = barPlot({
    rows: boundRows,
    x: by,
    group: 'series',
    levels: { ...levels, series: ['measured', 'upper bound'] },
    title: 'Throughput and the physical upper bound',
    xLabel: NAMES[by],
    yLabel: RESPONSE_LABEL.throughput,
    errorBars: records.length > 1 ? 'se' : 'none',
  });
  writeFileSync(join(dir, 'throughput-vs-bound.svg'), svg);
  figures.push({ file: 'plots/throughput-vs-bound.svg', caption: `Measured throughput and the upper bound (Σ capacity ÷ mean CPU demand), by ${by}` });
  return figures;
}
