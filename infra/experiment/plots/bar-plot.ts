import { resolveLevels, type LevelOrder, type Observation } from '../stats/design.js';
import { marginalMeans } from '../stats/means.js';
import { categoryAxis, categoryAxisHeight, categoryAxisLeftOverhang, yAxis } from './axes.js';
import { PlotInputError } from './errors.js';
import { bandCentre, inset, yScale, type Margins, type Rect } from './layout.js';
import { legend, legendSize, type LegendEntry } from './legend.js';
import { seriesColour } from './palette.js';
import { el, group, svgDocument, text, title, type Markup } from './svg.js';
import { niceTicks } from './ticks.js';

/*
 * Grouped bar chart of cell means: one group per level of `x`, one bar per level of `group`
 * within it, each with a ±1 SE error bar by default. The y axis always includes zero because bar
 * length encodes the value.
 */

export interface BarPlotOptions {
  readonly rows: readonly Observation[];
  readonly x: string;
  /** Optional factor splitting each x group into coloured bars. */
  readonly group?: string;
  readonly levels?: LevelOrder;
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Default 'se'. */
  readonly errorBars?: 'none' | 'se';
  readonly width?: number;
  readonly height?: number;
}

const BASE_MARGINS: Margins = { top: 16, right: 24, bottom: 64, left: 84 };
const TITLE_BAND = 44;
const FOOTER = 24;
const GAP = 16;

export function barPlot(options: BarPlotOptions): string {
  const { rows, x } = options;
  const factors = options.group === undefined ? [x] : [x, options.group];
  if (new Set(factors).size !== factors.length) throw new PlotInputError('bar plot needs two distinct factors');
  if (rows.length === 0) throw new PlotInputError('bar plot has no observations to draw');
  const levelLists = resolveLevels(rows, factors, options.levels ?? {});
  const xLevels = levelLists[0] ?? [];
  const groupLevels = options.group === undefined ? [undefined] : (levelLists[1] ?? []);
  const order: Record<string, readonly string[]> = {};
  factors.forEach((f, i) => (order[f] = levelLists[i] ?? []));
  const withErrorBars = (options.errorBars ?? 'se') === 'se';
  const stats = marginalMeans(rows, factors, order);

  let lo = 0;
  let hi = 0;
  for (const s of stats) {
    const half = withErrorBars ? (s.se ?? 0) : 0;
    lo = Math.min(lo, s.mean - half);
    hi = Math.max(hi, s.mean + half);
  }
  // Headroom on the data side(s) only: the zero baseline stays on a tick.
  const pad = (hi - lo) * 0.04;
  const ticks = niceTicks(lo < 0 ? lo - pad : lo, hi > 0 ? hi + pad : hi, 6);

  const entries: LegendEntry[] =
    options.group === undefined ? [] : groupLevels.map((l, i) => ({ label: l ?? '', colour: seriesColour(i) }));
  const legendBox = options.group === undefined ? { width: 0, height: 0 } : legendSize(options.group, entries);
  const plotWidth = options.width ?? 640;
  const plotHeight = options.height ?? 420;
  // Long x labels are rotated and need more room underneath and, for the first ones, on the left.
  const xBand = (plotWidth - BASE_MARGINS.left - BASE_MARGINS.right) / xLevels.length;
  const margins: Margins = {
    ...BASE_MARGINS,
    bottom: Math.max(BASE_MARGINS.bottom, categoryAxisHeight(xLevels, xBand) + 12),
    left: Math.max(BASE_MARGINS.left, Math.ceil(categoryAxisLeftOverhang(xLevels, xBand) * 1.1) + 8),
  };
  const width = plotWidth + (options.group === undefined ? 0 : GAP + legendBox.width + GAP);
  const height = TITLE_BAND + Math.max(plotHeight, legendBox.height + margins.top) + FOOTER;

  const figureTitle = options.title ?? (options.group === undefined ? `Mean by ${x}` : `Mean by ${x} and ${options.group}`);
  const frame: Rect = { x: 0, y: TITLE_BAND, width: plotWidth, height: plotHeight };
  const area = inset(frame, margins);
  const y = yScale(area, ticks.min, ticks.max);
  const band = area.width / xLevels.length;
  const barWidth = (band * 0.75) / groupLevels.length;

  const parts: Markup[] = [
    text(width / 2, 28, figureTitle, { 'text-anchor': 'middle', 'font-size': 17, 'font-weight': 'bold', fill: '#111111' }),
    yAxis(area, ticks, options.yLabel ?? 'Mean response'),
  ];
  xLevels.forEach((xl, xi) => {
    groupLevels.forEach((gl, gi) => {
      const s = stats.find((g) => g.levels[x] === xl && (options.group === undefined || g.levels[options.group] === gl));
      if (s === undefined) return;
      const left = bandCentre(area, xi, xLevels.length) - (band * 0.75) / 2 + gi * barWidth;
      const top = y(Math.max(0, s.mean));
      const bottom = y(Math.min(0, s.mean));
      const label = `${x}=${xl}${gl === undefined ? '' : `, ${options.group}=${gl}`}`;
      const bar: Markup[] = [
        title(`${label}: mean ${s.mean.toPrecision(6)} (n=${s.n}${s.se === null ? '' : `, SE ${s.se.toPrecision(4)}`})`),
        el('rect', { x: left + 1, y: top, width: Math.max(1, barWidth - 2), height: Math.max(0.5, bottom - top), fill: seriesColour(gi) }),
      ];
      if (withErrorBars && s.se !== null) {
        const cx = left + barWidth / 2;
        const t = y(s.mean + s.se);
        const b = y(s.mean - s.se);
        const cap = Math.min(6, barWidth / 4);
        bar.push(
          group(
            [
              el('line', { x1: cx, x2: cx, y1: t, y2: b }),
              el('line', { x1: cx - cap, x2: cx + cap, y1: t, y2: t }),
              el('line', { x1: cx - cap, x2: cx + cap, y1: b, y2: b }),
            ],
            { stroke: '#222222', 'stroke-width': 1.5 },
          ),
        );
      }
      parts.push(group(bar));
    });
  });
  // Zero line over the bars, so negative and positive bars share a visible baseline.
  parts.push(el('line', { x1: area.x, x2: area.x + area.width, y1: y(0), y2: y(0), stroke: '#333333', 'stroke-width': 1 }));
  parts.push(categoryAxis(area, xLevels, (i) => bandCentre(area, i, xLevels.length), options.xLabel ?? x));
  if (options.group !== undefined) parts.push(legend(plotWidth + GAP, TITLE_BAND + margins.top, options.group, entries).markup);
  parts.push(
    text(12, height - 8, withErrorBars ? 'Bars: means. Error bars: ±1 standard error of the mean.' : 'Bars: means.', {
      'font-size': 11,
      fill: '#555555',
    }),
  );
  return svgDocument(width, height, parts, { title: figureTitle });
}
