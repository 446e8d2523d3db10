import type { AnovaTable } from './anova.js';
import { formatF, formatP, formatProportion, formatQuantity } from './format.js';

export interface AnovaMarkdownOptions {
  /** Significance level whose p-values are shown in bold; 0.05 unless given. */
  readonly alpha?: number;
  /** Written as a heading-free caption line above the table when given. */
  readonly caption?: string;
}

/** Markdown table cells cannot hold a raw pipe or newline. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

/**
 * The ANOVA table as GitHub-flavoured Markdown: Source, SS, df, MS, F, p, partial η², numbers
 * right-aligned. p-values below alpha are bold (readable as-is in plain text, unlike a footnote
 * asterisk that Markdown would swallow), with a legend line and the table's notes underneath.
 */
export function renderAnovaMarkdown(table: AnovaTable, options: AnovaMarkdownOptions = {}): string {
  const alpha = options.alpha ?? 0.05;
  const lines: string[] = [];
  if (options.caption !== undefined) lines.push(cell(options.caption), '');
  lines.push('| Source | SS | df | MS | F | p | partial η² |');
  lines.push('| :--- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of table.rows) {
    const significant = row.p !== null && row.p < alpha;
    const p = formatP(row.p);
    lines.push(
      '| ' +
        [
          cell(row.source),
          formatQuantity(row.ss),
          String(row.df),
          row.kind === 'total' ? '' : formatQuantity(row.ms),
          row.kind === 'effect' ? formatF(row.f) : '',
          row.kind === 'effect' ? (significant ? `**${p}**` : p) : '',
          row.kind === 'effect' ? formatProportion(row.partialEtaSquared) : '',
        ].join(' | ') +
        ' |',
    );
  }
  lines.push('');
  lines.push(
    `Bold p: significant at α = ${alpha}. ${table.n} observations, ${table.replicates} per cell; ` +
      'Total is the corrected total.',
  );
  for (const note of table.notes) lines.push('', cell(note));
  return lines.join('\n') + '\n';
}
