/**
 * anova.md: the full-factorial ANOVA (every main effect and interaction: SS, df, MS, F, p) of
 * throughput, the study's response, and of mean slowdown as a secondary one. Only the factors
 * that vary enter the model; factors held at one level are listed as constants.
 */
import { ZincError } from '../../../daemon/common/zinc-error.js';
import { factorialAnova, type AnovaTable } from '../stats/anova.js';
import { renderAnovaMarkdown } from '../stats/anova-markdown.js';
import type { Design } from '../design.js';
import type { RunRecord } from '../records.js';
import { levelOrder, observations, RESPONSE_LABEL, type Response } from './observations.js';

export interface AnovaResults {
  readonly markdown: string;
  /** Per response, the table, or why there is none. */
  readonly tables: Partial<Record<Response, AnovaTable>>;
  readonly problems: Partial<Record<Response, string>>;
}

const RESPONSES: readonly Response[] = ['throughput', 'meanSlowdown'];

export function anovaResults(design: Design, records: readonly RunRecord[], complete: boolean): AnovaResults {
  const factors = design.varied;
  const tables: Partial<Record<Response, AnovaTable>> = {};
  const problems: Partial<Record<Response, string>> = {};
  const lines: string[] = ['# ANOVA', ''];
  const constants = design.factors.filter((f) => !factors.includes(f)).map((f) => `${f} = ${design.levels[f][0] ?? ''}`);
  lines.push(
    `Full-factorial, fixed-effects, between-subjects ANOVA (the seed's appendix A, "Tests of between-subjects effects"), ` +
      `${design.cells.length} cells × ${design.replications} replications = ${design.runs.length} planned runs, ${records.length} measured.`,
    '',
    `Factors: ${factors.length ? factors.map((f) => `${f} (${design.levels[f].join(', ')})`).join('; ') : 'none vary'}.` +
      (constants.length ? ` Held constant: ${constants.join(', ')}.` : ''),
    '',
  );
  for (const response of RESPONSES) {
    lines.push(`## ${RESPONSE_LABEL[response]}`, '');
    let problem: string | undefined;
    if (factors.length === 0) problem = 'No factor has two or more levels: there is nothing to analyse.';
    else if (!complete) problem = `The design is incomplete (${records.length} of ${design.runs.length} runs); the ANOVA needs every cell replicated equally. Run the whole design.`;
    if (!problem) {
      try {
        const table = factorialAnova(observations(records, factors, response), factors, { levels: levelOrder(design) });
        tables[response] = table;
        lines.push(renderAnovaMarkdown(table, { caption: `Response: ${RESPONSE_LABEL[response]}; grand mean ${table.grandMean.toFixed(3)}.` }));
      } catch (err) {
        problem = err instanceof ZincError ? err.toUserLine() : String(err);
      }
    }
    if (problem) {
      problems[response] = problem;
      lines.push(problem, '');
    }
  }
  return { markdown: lines.join('\n'), tables, problems };
}
