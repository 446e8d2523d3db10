/** Writes every output of an experiment except runs.csv/jobs.csv (written as runs finish). */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentConfig } from '../config.js';
import type { DesignResult } from '../experiment.js';
import { JOURNAL_FILE } from '../journal.js';
import { anovaResults } from './anova-file.js';
import type { Comparison } from './compare.js';
import { writePlots, type Figure } from './plots.js';
import { renderReport } from './report-md.js';
import type { RescaledModel } from '../sim/migration-cost.js';

export interface WrittenReport {
  readonly figures: readonly Figure[];
  readonly files: readonly string[];
}

export function writeReports(o: {
  outDir: string;
  config: ExperimentConfig;
  mode: 'lab' | 'sim';
  result: DesignResult;
  comparison?: Comparison;
  /** The migration model the comparison's simulator used, when refitted to the lab's migrations. */
  comparisonModel?: RescaledModel;
  command: string;
}): WrittenReport {
  const { outDir, config, result } = o;
  const anova = anovaResults(result.design, result.records, result.complete);
  writeFileSync(join(outDir, 'anova.md'), anova.markdown);
  const figures = writePlots(outDir, result.design, result.records);
  const { sourceDir: _sourceDir, ...asValidated } = config;
  writeFileSync(join(outDir, 'config.json'), JSON.stringify(asValidated, null, 2) + '\n');
  writeFileSync(
    join(outDir, 'report.md'),
    renderReport({
      config,
      mode: o.mode,
      design: result.design,
      records: result.records,
      complete: result.complete,
      wallMs: result.wallMs,
      resumed: result.resumed,
      journal: existsSync(join(outDir, JOURNAL_FILE)),
      loadavg: result.loadavg,
      anova,
      figures,
      comparison: o.comparison,
      comparisonModel: o.comparisonModel,
      command: o.command,
    }),
  );
  return { figures, files: ['runs.csv', 'anova.md', 'report.md', 'config.json', ...figures.map((f) => f.file)] };
}
